package oracle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/netdev"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestOracleNetdev reads a multi-queue veth through the netdev family and
// checks it against what iproute2, ethtool and sysfs say of it: the
// devices against ip -j link, the queues against /sys/class/net/DEV/queues,
// the NAPI instances GRO gives veth against the sysfs knobs that set them
// (gro_flush_timeout, napi_defer_hard_irqs, threaded) and their threads'
// names; and what veth lacks (qstats, listed page pools, page pool
// statistics on this kernel) by its error.
func TestOracleNetdev(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "numtxqueues", "4", "numrxqueues", "3", "type", "veth",
		"peer", "v1", "numtxqueues", "4", "numrxqueues", "3")
	ns.Run("ip", "link", "set", "v0", "up")
	ns.Run("ip", "link", "set", "v1", "up")
	client := genlClient(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dump := func(op *genl.Operation, f schema.Fields) []*schema.View {
		t.Helper()
		views, err := client.Dump(ctx, netdev.Family, op, f)
		if err != nil {
			t.Fatalf("%s dump %v: %v", op.Name, f, err)
		}
		for _, v := range views {
			if err := v.Err(); err != nil {
				t.Errorf("%s: %v", op.Name, err)
			}
		}
		return views
	}
	do := func(op *genl.Operation, f schema.Fields) *schema.View {
		t.Helper()
		views, err := client.Do(ctx, netdev.Family, op, f)
		if err != nil || len(views) != 1 {
			t.Fatalf("%s %v: %v, %d replies", op.Name, f, err, len(views))
		}
		return views[0]
	}
	get := func(v *schema.View, name string) any {
		t.Helper()
		val, ok, err := v.Get(name)
		if err != nil || !ok {
			t.Errorf("%s: %s: %v (present %v)", v.Message().Name, name, err, ok)
		}
		return val
	}
	ifindex := map[string]uint64{}
	var theirIndexes []string
	for _, l := range ipJSON(t, ns, "ip", "link", "show") {
		ifindex[l["ifname"].(string)] = uint64(l["ifindex"].(float64))
		theirIndexes = append(theirIndexes, fmt.Sprint(l["ifindex"]))
	}
	compared := 0

	// dev: one per device, as ip link lists them.
	var ourIndexes []string
	for _, d := range dump(netdev.Dev, nil) {
		ourIndexes = append(ourIndexes, fmt.Sprint(get(d, "ifindex")))
	}
	sort.Strings(ourIndexes)
	sort.Strings(theirIndexes)
	checkField(t, "dev dump", "ifindex", ourIndexes, theirIndexes)
	compared += len(theirIndexes)
	v0 := do(netdev.Dev, schema.Fields{"ifindex": ifindex["v0"]})
	checkField(t, "dev v0", "ifindex", get(v0, "ifindex"), ifindex["v0"])
	compared++
	// veth reads receive metadata for XDP programs (its xdp_metadata_ops).
	checkField(t, "dev v0", "xdp_rx_metadata_features", get(v0, "xdp_rx_metadata_features"), []string{"timestamp", "hash", "vlan_tag"})

	// queue: every queue of v0, as sysfs lists them.
	var ours []string
	for _, q := range dump(netdev.Queue, schema.Fields{"ifindex": ifindex["v0"]}) {
		ours = append(ours, fmt.Sprintf("%v-%v", get(q, "type"), get(q, "id")))
		if got := get(q, "ifindex"); got != ifindex["v0"] {
			t.Errorf("queue dump filtered by v0 lists a queue of ifindex %v", got)
		}
		one := do(netdev.Queue, schema.Fields{"ifindex": ifindex["v0"], "type": get(q, "type"), "id": get(q, "id")})
		j1, _ := one.MarshalJSON()
		j2, _ := q.MarshalJSON()
		checkField(t, "queue do", "json", string(j1), string(j2))
	}
	theirs := strings.Fields(ns.Run("ls", "/sys/class/net/v0/queues"))
	sort.Strings(ours)
	sort.Strings(theirs)
	checkField(t, "queue dump v0", "type-id", ours, theirs)
	compared += len(theirs)
	if len(theirs) != 7 {
		t.Errorf("sysfs lists %v for 3 rx and 4 tx queues", theirs)
	}
	_, err := client.Do(ctx, netdev.Family, netdev.Queue, schema.Fields{"ifindex": ifindex["v0"], "type": "rx", "id": 3})
	if pe := new(packet.Error); !errors.As(err, &pe) || pe.Errno != unix.EINVAL {
		t.Errorf("rx queue 3 of 3: %v, want EINVAL", err)
	}

	// napi: veth polls with NAPI once GRO is on, one instance per rx
	// queue, and then lets its peer transmit XDP frames to it.
	if n := dump(netdev.Napi, schema.Fields{"ifindex": ifindex["v0"]}); len(n) != 0 {
		t.Errorf("v0 has %d NAPI instances before GRO", len(n))
	}
	peerBefore := do(netdev.Dev, schema.Fields{"ifindex": ifindex["v1"]})
	ns.Run("ethtool", "-K", "v0", "gro", "on")
	ns.Run("sh", "-c", "echo 20000 > /sys/class/net/v0/gro_flush_timeout && echo 3 > /sys/class/net/v0/napi_defer_hard_irqs && echo 1 > /sys/class/net/v0/threaded")
	sysfs := func(name string) string { return strings.TrimSpace(ns.Run("cat", "/sys/class/net/v0/"+name)) }
	napis := dump(netdev.Napi, schema.Fields{"ifindex": ifindex["v0"]})
	if len(napis) != 3 {
		t.Errorf("v0 has %d NAPI instances with 3 rx queues", len(napis))
	}
	for _, n := range napis {
		obj := fmt.Sprintf("napi %v", get(n, "id"))
		checkField(t, obj, "ifindex", get(n, "ifindex"), ifindex["v0"])
		checkField(t, obj, "gro_flush_timeout", fmt.Sprint(get(n, "gro_flush_timeout")), sysfs("gro_flush_timeout"))
		checkField(t, obj, "defer_hard_irqs", fmt.Sprint(get(n, "defer_hard_irqs")), sysfs("napi_defer_hard_irqs"))
		checkField(t, obj, "threaded", map[any]string{"enabled": "1", "disabled": "0"}[get(n, "threaded")], sysfs("threaded"))
		compared += 4
		pid := get(n, "pid")
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%v/comm", pid))
		switch {
		case errors.Is(err, os.ErrNotExist):
			t.Logf("%s: thread %v is not visible in this PID namespace", obj, pid)
		case err != nil:
			t.Error(err)
		default:
			checkField(t, obj, "pid", strings.TrimSpace(string(comm)), fmt.Sprintf("napi/v0-%v", get(n, "id")))
			compared++
		}
		one := do(netdev.Napi, schema.Fields{"id": get(n, "id")})
		j1, _ := one.MarshalJSON()
		j2, _ := n.MarshalJSON()
		checkField(t, obj, "do", string(j1), string(j2))
	}
	// set_napi changes one instance: its thread goes when it stops
	// polling threaded, and comes back, named after it, when it starts
	// again; the others keep sysfs's settings.
	first, second := get(napis[0], "id"), get(napis[1], "id")
	if _, err := client.Do(ctx, netdev.Family, netdev.SetNapi, schema.Fields{"id": first, "threaded": "disabled", "gro_flush_timeout": 1000}); err != nil {
		t.Fatal(err)
	}
	if n := do(netdev.Napi, schema.Fields{"id": first}); n.Has("pid") || fmt.Sprint(get(n, "gro_flush_timeout")) != "1000" {
		j, _ := n.MarshalJSON()
		t.Errorf("napi %v after set_napi threaded=disabled gro_flush_timeout=1000: %s", first, j)
	}
	if n := do(netdev.Napi, schema.Fields{"id": second}); !n.Has("pid") || fmt.Sprint(get(n, "gro_flush_timeout")) != sysfs("gro_flush_timeout") {
		j, _ := n.MarshalJSON()
		t.Errorf("napi %v changed with napi %v: %s", second, first, j)
	}
	if _, err := client.Do(ctx, netdev.Family, netdev.SetNapi, schema.Fields{"id": first, "threaded": "enabled"}); err != nil {
		t.Fatal(err)
	}
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%v/comm", get(do(netdev.Napi, schema.Fields{"id": first}), "pid"))); err == nil {
		checkField(t, fmt.Sprintf("napi %v", first), "pid after set_napi", strings.TrimSpace(string(comm)), fmt.Sprintf("napi/v0-%v", first))
	}

	peerAfter := do(netdev.Dev, schema.Fields{"ifindex": ifindex["v1"]})
	gained := []string{}
	for _, f := range get(peerAfter, "xdp_features").([]string) {
		if !slices.Contains(get(peerBefore, "xdp_features").([]string), f) {
			gained = append(gained, f)
		}
	}
	checkField(t, "dev v1 after GRO on v0", "xdp_features gained", gained, []string{"ndo_xmit", "ndo_xmit_sg"})

	// qstats: veth keeps no such counters.
	_, err = client.Dump(ctx, netdev.Family, netdev.Qstats, schema.Fields{"ifindex": ifindex["v0"]})
	if pe := new(packet.Error); !errors.As(err, &pe) || pe.Errno != unix.EOPNOTSUPP || pe.AttrName != "ifindex" {
		t.Errorf("qstats of veth: %v, want EOPNOTSUPP blaming ifindex", err)
	}
	if q := dump(netdev.Qstats, schema.Fields{"scope": "queue"}); len(q) != 0 {
		t.Errorf("qstats lists %d entries in a namespace of veth and lo", len(q))
	}

	// page pools: veth's are not tied to its netdev, so none is listed.
	if p := dump(netdev.PagePool, nil); len(p) != 0 {
		t.Errorf("page_pool lists %d pools", len(p))
	}
	_, err = client.Do(ctx, netdev.Family, netdev.PagePool, schema.Fields{"id": 1})
	if pe := new(packet.Error); !errors.As(err, &pe) || pe.Errno != unix.ENOENT {
		t.Errorf("page_pool 1: %v, want ENOENT", err)
	}
	// page pool statistics exist only with CONFIG_PAGE_POOL_STATS, which
	// the controller tells by listing the command.
	fam, err := client.Resolver().Family(ctx, netdev.FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	want := unix.ENOENT
	if _, has := fam.Op(uint32(netdev.PagePoolStats.Cmd)); !has {
		want = unix.EOPNOTSUPP
	}
	_, err = client.Do(ctx, netdev.Family, netdev.PagePoolStats, schema.Fields{"info": schema.Fields{"id": 1}})
	if pe := new(packet.Error); !errors.As(err, &pe) || pe.Errno != want {
		t.Errorf("page_pool_stats of pool 1: %v, want %v", err, want)
	}
	t.Logf("compared %d values with ip, sysfs and /proc", compared)
}
