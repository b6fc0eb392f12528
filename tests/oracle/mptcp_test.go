package oracle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// mptcpFlagNames are the flags `ip -j mptcp endpoint show` prints as
// "name": true.
var mptcpFlagNames = []string{"signal", "subflow", "backup", "fullmesh", "implicit", "laminar"}

// compareEndpoints checks every endpoint `ip -j mptcp endpoint show`
// (with show's further arguments, such as "id 2") prints against ours of
// the same id, field by field: address, port, dev and each flag. It
// returns how many fields it compared.
func compareEndpoints(t *testing.T, ns *nstest.NS, ours []*schema.View, show ...string) int {
	t.Helper()
	ifname := map[int64]string{}
	for _, l := range ipJSON(t, ns, "ip", "link", "show") {
		ifname[int64(l["ifindex"].(float64))] = l["ifname"].(string)
	}
	byID := map[uint64]*schema.View{}
	for _, v := range ours {
		if err := v.Err(); err != nil {
			t.Errorf("endpoint: %v", err)
		}
		id, ok, err := v.Get("id")
		if !ok || err != nil {
			t.Fatalf("endpoint without an id: %v", err)
		}
		byID[id.(uint64)] = v
	}
	theirs := ipJSON(t, ns, "ip", append([]string{"mptcp", "endpoint", "show"}, show...)...)
	if len(theirs) != len(ours) {
		t.Errorf("ip shows %d endpoints, nlsh %d", len(theirs), len(ours))
	}
	compared := 0
	for _, their := range theirs {
		id := uint64(their["id"].(float64))
		ep := byID[id]
		if ep == nil {
			t.Errorf("endpoint %d: ip shows it, nlsh does not", id)
			continue
		}
		obj := fmt.Sprintf("endpoint %d", id)
		get := func(name string) any { v, _, _ := ep.Get(name); return v }
		checkField(t, obj, "address", fmt.Sprint(get("address")), their["address"])
		// ip prints a port only when there is one.
		port := get("port")
		if p, _ := port.(uint64); p == 0 {
			port = nil
		} else {
			port = float64(p)
		}
		checkField(t, obj, "port", port, their["port"])
		var dev any
		if idx, ok := get("if_idx").(int64); ok && idx != 0 {
			dev = ifname[idx]
		}
		checkField(t, obj, "dev", dev, their["dev"])
		flags, _ := get("flags").([]string)
		for _, f := range mptcpFlagNames {
			checkField(t, obj, f, slices.Contains(flags, f), their[f] == true)
		}
		compared += 3 + len(mptcpFlagNames)
	}
	return compared
}

// ipLimits reads `ip mptcp limits show`, which iproute2 prints as JSON in
// newer releases and as "add_addr_accepted N subflows N" in older ones.
func ipLimits(t *testing.T, ns *nstest.NS) map[string]uint64 {
	t.Helper()
	out := strings.TrimSpace(ns.Run("ip", "-j", "mptcp", "limits", "show"))
	limits := map[string]uint64{}
	if strings.HasPrefix(out, "{") {
		var m map[string]float64
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("ip -j mptcp limits show: %v\n%s", err, out)
		}
		for k, v := range m {
			limits[k] = uint64(v)
		}
		return limits
	}
	f := strings.Fields(out)
	for i := 0; i+1 < len(f); i += 2 {
		n, err := strconv.ParseUint(f[i+1], 10, 32)
		if err != nil {
			t.Fatalf("ip mptcp limits show: %q", out)
		}
		limits[f[i]] = n
	}
	return limits
}

// TestOracleMPTCP: endpoints and limits set by `ip mptcp` read the same
// through nlsh, and those nlsh sets read the same through `ip mptcp`.
func TestOracleMPTCP(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "addr", "add", "10.0.2.1/24", "dev", "v0")
	client := genlClient(t, ns) // any genl family's client in ns
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dump := func() []*schema.View {
		t.Helper()
		views, err := client.Dump(ctx, mptcp.Family, mptcp.Endpoints, nil)
		if err != nil {
			t.Fatal(err)
		}
		return views
	}
	do := func(op *genl.Operation, f schema.Fields) {
		t.Helper()
		if _, err := client.Do(ctx, mptcp.Family, op, f); err != nil {
			t.Fatalf("%s: %v", op.Name, err)
		}
	}

	// iproute2 writes, nlsh reads.
	ns.Run("ip", "mptcp", "endpoint", "add", "10.0.0.1", "id", "1", "signal")
	ns.Run("ip", "mptcp", "endpoint", "add", "10.0.1.1", "id", "2", "dev", "v0", "subflow", "backup")
	ns.Run("ip", "mptcp", "endpoint", "add", "2001:db8::3", "id", "3", "subflow", "fullmesh")
	ns.Run("ip", "mptcp", "endpoint", "add", "10.0.2.1", "id", "4", "signal", "port", "10000")
	n := compareEndpoints(t, ns, dump())
	views, err := client.Do(ctx, mptcp.Family, mptcp.Endpoints, schema.Fields{"addr": schema.Fields{"id": 2}})
	if err != nil || len(views) != 1 {
		t.Fatalf("endpoint 2: %d replies, %v", len(views), err)
	}
	n += compareEndpoints(t, ns, views, "id", "2")

	// nlsh writes, iproute2 reads.
	ns.Run("ip", "mptcp", "endpoint", "flush")
	if got := dump(); len(got) != 0 {
		t.Fatalf("%d endpoints after ip mptcp endpoint flush", len(got))
	}
	for _, addr := range []schema.Fields{
		{"address": "10.0.0.1", "id": 1, "flags": []string{"signal"}},
		{"address": "10.0.1.1", "id": 2, "if_idx": ifindexOf(t, ns, "v0"), "flags": []string{"subflow", "backup"}},
		{"address": "2001:db8::3", "id": 3, "flags": []string{"subflow", "fullmesh"}},
		{"address": "10.0.2.1", "id": 4, "port": 10000, "flags": []string{"signal"}},
	} {
		if err := mptcp.FillFamily(addr); err != nil {
			t.Fatal(err)
		}
		do(mptcp.AddEndpoint, schema.Fields{"addr": addr})
	}
	n += compareEndpoints(t, ns, dump())
	do(mptcp.SetEndpoint, schema.Fields{"addr": schema.Fields{"id": 2, "flags": []string{"fullmesh"}}})
	n += compareEndpoints(t, ns, dump())
	if their := ipJSON(t, ns, "ip", "mptcp", "endpoint", "show", "id", "2"); len(their) != 1 || their[0]["fullmesh"] != true || their[0]["backup"] != nil {
		t.Errorf("ip shows endpoint 2 as %v after set_endpoint fullmesh", their)
	}
	do(mptcp.DeleteEndpoint, schema.Fields{"addr": schema.Fields{"id": 1}})
	n += compareEndpoints(t, ns, dump())
	do(mptcp.FlushEndpoints, nil)
	if their := ipJSON(t, ns, "ip", "mptcp", "endpoint", "show"); len(their) != 0 {
		t.Errorf("ip shows %v after flush_endpoints", their)
	}

	// Limits, both ways.
	limits := func() map[string]uint64 {
		t.Helper()
		views, err := client.Do(ctx, mptcp.Family, mptcp.Limits, nil)
		if err != nil || len(views) != 1 {
			t.Fatalf("limits: %d replies, %v", len(views), err)
		}
		m := map[string]uint64{}
		for _, name := range []string{"add_addr_accepted", "subflows"} {
			v, ok, err := views[0].Get(name)
			if !ok || err != nil {
				t.Fatalf("limits: %s: %v", name, err)
			}
			m[name] = v.(uint64)
		}
		return m
	}
	ns.Run("ip", "mptcp", "limits", "set", "subflows", "5", "add_addr_accepted", "6")
	theirs, ours := ipLimits(t, ns), limits()
	for _, name := range []string{"add_addr_accepted", "subflows"} {
		checkField(t, "limits", name, ours[name], theirs[name])
		n++
	}
	if ours["subflows"] != 5 || ours["add_addr_accepted"] != 6 {
		t.Errorf("limits read %v after ip mptcp limits set subflows 5 add_addr_accepted 6", ours)
	}
	do(mptcp.SetLimits, schema.Fields{"subflows": 7, "add_addr_accepted": 1})
	theirs, ours = ipLimits(t, ns), limits()
	for _, name := range []string{"add_addr_accepted", "subflows"} {
		checkField(t, "limits", name, ours[name], theirs[name])
		n++
	}
	if theirs["subflows"] != 7 || theirs["add_addr_accepted"] != 1 {
		t.Errorf("ip shows limits %v after set_limits subflows 7 add_addr_accepted 1", theirs)
	}
	t.Logf("compared %d fields with iproute2", n)

	// The kernel's refusals carry the same extended-ACK message ip prints.
	ns.Run("ip", "mptcp", "endpoint", "add", "10.0.0.1", "id", "1", "signal")
	refusals := []struct {
		op    *genl.Operation
		f     schema.Fields
		errno unix.Errno
		attr  string
		ip    []string
	}{
		{mptcp.AddEndpoint, schema.Fields{"addr": schema.Fields{"family": "inet", "address": "10.0.0.8", "id": 1, "flags": []string{"signal"}}},
			unix.EBUSY, "", []string{"mptcp", "endpoint", "add", "10.0.0.8", "id", "1", "signal"}},
		{mptcp.SetLimits, schema.Fields{"subflows": 9}, unix.EINVAL, "subflows", []string{"mptcp", "limits", "set", "subflows", "9"}},
		{mptcp.DeleteEndpoint, schema.Fields{"addr": schema.Fields{"id": 77}}, unix.EINVAL, "addr", []string{"mptcp", "endpoint", "delete", "id", "77"}},
	}
	for _, r := range refusals {
		_, err := client.Do(ctx, mptcp.Family, r.op, r.f)
		var pe *packet.Error
		if !errors.As(err, &pe) || pe.Errno != r.errno || pe.AttrName != r.attr {
			t.Errorf("%s %v: %v (attr %q), want %v blaming %q", r.op.Name, r.f, err, attrOf(pe), r.errno, r.attr)
			continue
		}
		_, ipErr := ns.Try("ip", r.ip...)
		if ipErr == nil || !strings.Contains(ipErr.Error(), "Error: "+pe.Message+".") {
			t.Errorf("%s: nlsh says %q, ip says %v", r.op.Name, pe.Message, ipErr)
		}
	}
}

// ifindexOf returns a device's index as ip reads it.
func ifindexOf(t *testing.T, ns *nstest.NS, dev string) int64 {
	t.Helper()
	links := ipJSON(t, ns, "ip", "link", "show", "dev", dev)
	if len(links) != 1 {
		t.Fatalf("ip link show dev %s: %v", dev, links)
	}
	return int64(links[0]["ifindex"].(float64))
}
