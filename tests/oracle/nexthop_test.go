package oracle

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// nexthopScenario builds nexthops of every kind ip 6.1 can make: IPv4 and
// IPv6 gateways, onlink, device-only, blackhole, fdb, seg6 encap, a
// protocol, multipath groups with weights, fdb groups and resilient
// groups.
func nexthopScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	for _, cmd := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "v1"},
		{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"nexthop", "add", "id", "1", "via", "10.0.0.2", "dev", "v0"},
		{"nexthop", "add", "id", "2", "via", "10.9.0.3", "dev", "v0", "onlink"},
		{"nexthop", "add", "id", "3", "blackhole"},
		{"nexthop", "add", "id", "4", "dev", "v0"},
		{"nexthop", "add", "id", "5", "via", "2001:db8::2", "dev", "v0"},
		{"nexthop", "add", "id", "6", "via", "10.0.0.9", "fdb"},
		{"nexthop", "add", "id", "7", "via", "10.0.0.10", "fdb"},
		{"nexthop", "add", "id", "8", "encap", "seg6", "mode", "encap", "segs", "2001:db8::9,2001:db8::a", "dev", "v0"},
		{"nexthop", "add", "id", "9", "via", "10.0.0.11", "dev", "v0", "protocol", "static"},
		{"nexthop", "add", "id", "10", "group", "1/2,3"},
		{"nexthop", "add", "id", "11", "group", "1,2/2,200", "type", "resilient", "buckets", "8", "idle_timer", "60", "unbalanced_timer", "120"},
		{"nexthop", "add", "id", "12", "group", "6/7", "fdb"},
		{"nexthop", "add", "id", "13", "group", "5"},
		{"nexthop", "add", "id", "14", "group", "1/2", "type", "mpath"},
		{"nexthop", "add", "id", "15", "group", "4", "type", "resilient", "buckets", "4"},
		{"nexthop", "add", "id", "16", "group", "3"},
	} {
		ns.Run("ip", cmd...)
	}
	return ns
}

// TestOracleNexthop compares every nexthop ip lists, with and without -d
// and -s, field by field.
func TestOracleNexthop(t *testing.T) {
	ns := nexthopScenario(t)
	names := linkNames(t, ns)
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.Nexthop, nil) {
		ours[fmt.Sprint(route.NexthopOf(v).ID())] = v
	}
	n := 0
	for _, opt := range [][]string{nil, {"-d"}, {"-s"}} {
		args := append(opt, "nexthop", "show")
		theirsAll := ipJSON(t, ns, "ip", args...)
		if len(theirsAll) != 16 {
			t.Errorf("ip %v lists %d nexthops, want 16", args, len(theirsAll))
		}
		for _, theirs := range theirsAll {
			id := fmt.Sprint(theirs["id"])
			obj := fmt.Sprintf("nexthop %s (ip %v)", id, args)
			v := ours[id]
			if v == nil {
				t.Errorf("%s: ip lists it, nlsh does not", obj)
				continue
			}
			n++
			checkNexthop(t, obj, v, theirs, names)
		}
	}
	if n != 3*16 {
		t.Errorf("compared %d nexthops, want %d", n, 3*16)
	}
}

// checkNexthop compares one nexthop with ip's: ip prints the device by
// name, blackhole and fdb as null-valued keys, the group's default weight
// not at all, the resilient timers in seconds, and the encap's fields at
// the top level.
func checkNexthop(t *testing.T, obj string, v *schema.View, theirs map[string]any, names map[float64]string) {
	t.Helper()
	nh := route.NexthopOf(v)
	compareFields(t, obj, v, theirs, nil, "dev", "group", "blackhole", "fdb", "resilient_args", "mode", "segs", "type")
	if want, ok := theirs["dev"]; ok {
		checkField(t, obj, "dev", names[float64(nh.OIF())], want)
	} else if nh.OIF() != 0 {
		t.Errorf("%s: nlsh has oif %d, ip prints no dev", obj, nh.OIF())
	}
	_, bh := theirs["blackhole"]
	checkField(t, obj, "blackhole", nh.Blackhole(), bh)
	_, fdb := theirs["fdb"]
	checkField(t, obj, "fdb", nh.FDB(), fdb)
	// ip leaves out the default group type, mpath.
	gt, _ := ourField(v, "type")
	if want, ok := theirs["type"]; ok {
		checkField(t, obj, "type", gt, want)
	} else if gt != nil && gt != "mpath" {
		t.Errorf("%s: nlsh's group type is %v, ip prints none", obj, gt)
	}
	if want, ok := theirs["group"].([]any); ok {
		got, _ := ourField(v, "group")
		members, _ := got.([]any)
		if len(members) != len(want) || nh.GroupLen() != len(want) {
			t.Errorf("%s: %d members (%d typed), ip prints %d", obj, len(members), nh.GroupLen(), len(want))
		} else {
			for i, m := range want {
				w := m.(map[string]any)
				if _, printed := w["weight"]; !printed {
					w["weight"] = float64(1)
				}
				checkField(t, obj, fmt.Sprintf("group[%d]", i), members[i], w)
				id, weight, _ := nh.Member(i)
				checkField(t, obj, fmt.Sprintf("group[%d] (typed)", i), map[string]any{"id": float64(id), "weight": float64(weight)}, w)
			}
		}
	} else if nh.IsGroup() {
		t.Errorf("%s: nlsh has a group, ip prints none", obj)
	}
	if want, ok := theirs["resilient_args"].(map[string]any); ok {
		r := field(v, "resilient_args")
		if r == nil {
			t.Errorf("%s: ip prints resilient_args, nlsh has none", obj)
		} else {
			for k, w := range want {
				got, ok := ourField(r, k)
				if !ok {
					t.Errorf("%s: resilient_args.%s: ip prints %v, nlsh has none", obj, k, w)
					continue
				}
				if k != "buckets" {
					got = toF(got) / 100 // clock_t, which ip prints in seconds
				}
				checkField(t, obj, "resilient_args."+k, got, w)
			}
		}
	}
	if want, ok := theirs["segs"]; ok {
		srh := field(v, "encap_data", "srh")
		if srh == nil {
			t.Errorf("%s: ip prints seg6 segs, nlsh has no encap_data.srh", obj)
		} else {
			got, _ := ourField(srh, "segs")
			checkField(t, obj, "segs", got, want)
			mode, _ := ourField(srh, "mode")
			checkField(t, obj, "mode", mode, theirs["mode"])
		}
	}
}

// dumpBuckets lists the buckets of resilient groups: their object is not
// among the family's, so dump's type check would drop them.
func dumpBuckets(t *testing.T, ns *nstest.NS, f schema.Fields) []*schema.View {
	t.Helper()
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e packet.Encoder
	if err := route.NexthopBucket.Message.Encode(&e, route.NexthopBucket.Get, unix.NLM_F_DUMP, f); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var views []*schema.View
	for m, err := range c.Dump(ctx, e.Bytes()) {
		if err != nil {
			t.Fatalf("dump buckets: %v", err)
		}
		if m.Header.Type != route.NexthopBucket.Reports {
			t.Errorf("bucket dump: message type %d, want %d", m.Header.Type, route.NexthopBucket.Reports)
			continue
		}
		v, err := schema.Decode(route.NexthopBucket.Message, append([]byte(nil), m.Data...))
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Err(); err != nil {
			t.Error(err)
		}
		views = append(views, v)
	}
	return views
}

// TestOracleNexthopBucket compares the buckets of the resilient groups
// with ip nexthop bucket show.
func TestOracleNexthopBucket(t *testing.T) {
	ns := nexthopScenario(t)
	ours := map[string]*schema.View{}
	for _, v := range dumpBuckets(t, ns, nil) {
		b := field(v, "bucket")
		idx, _ := ourField(b, "index")
		ours[fmt.Sprintf("%d/%v", route.NexthopOf(v).ID(), idx)] = v
	}
	theirsAll := ipJSON(t, ns, "ip", "nexthop", "bucket", "show")
	if len(theirsAll) != 12 || len(ours) != 12 {
		t.Errorf("ip lists %d buckets, nlsh %d; want 12", len(theirsAll), len(ours))
	}
	for _, theirs := range theirsAll {
		tb := theirs["bucket"].(map[string]any)
		key := fmt.Sprintf("%v/%v", theirs["id"], tb["index"])
		obj := "nexthop bucket " + key
		v := ours[key]
		if v == nil {
			t.Errorf("%s: ip lists it, nlsh does not", obj)
			continue
		}
		compareFields(t, obj, v, theirs, nil, "bucket")
		b := field(v, "bucket")
		// idle_time moves between the two reads; it is clock_t, which ip
		// prints in seconds.
		compareFields(t, obj, b, tb, nil, "idle_time")
		if _, ok := ourField(b, "idle_time"); !ok {
			t.Errorf("%s: ip prints idle_time, nlsh has none", obj)
		}
	}
	// A dump narrowed to one group lists only its buckets.
	if got := len(dumpBuckets(t, ns, schema.Fields{"id": 15})); got != 4 {
		t.Errorf("bucket dump of group 15: %d buckets, want 4", got)
	}
}

// TestNexthopAddDelete adds nexthops and a group from our encoding, checks
// them with ip and with our dump (weights above 256 and group statistics,
// which ip 6.1 does not read), and deletes them.
func TestNexthopAddDelete(t *testing.T) {
	ns := nstest.New(t)
	for _, cmd := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "v1"},
		{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
	} {
		ns.Run("ip", cmd...)
	}
	idx := map[string]int64{}
	for k, name := range linkNames(t, ns) {
		idx[name] = int64(k)
	}
	add := uint16(unix.NLM_F_CREATE | unix.NLM_F_EXCL)
	steps := []schema.Fields{
		{"family": "inet", "id": 100, "gateway": "10.0.0.2", "oif": idx["v0"], "protocol": "static"},
		{"family": "inet", "id": 101, "gateway": "10.9.9.9", "oif": idx["v0"], "flags": []string{"onlink"}},
		{"family": "inet", "id": 102, "blackhole": true},
		{"family": "unspec", "id": 110, "group": []any{schema.Fields{"id": 100}, schema.Fields{"id": 101, "weight": 7}}},
		{"family": "unspec", "id": 111, "group": []any{schema.Fields{"id": 100, "weight": 300}, schema.Fields{"id": 101, "weight": 65535}}},
		{"family": "unspec", "id": 112, "group": []any{schema.Fields{"id": 100}, schema.Fields{"id": 101}}, "type": "resilient",
			"resilient_args": schema.Fields{"buckets": 16, "idle_timer": 3000, "unbalanced_timer": 500}},
	}
	for _, f := range steps {
		mustExecute(t, ns, route.NexthopMessage, unix.RTM_NEWNEXTHOP, add, f)
	}
	want := map[string]string{
		"100": "via 10.0.0.2 dev v0 proto static flags []",
		"101": "via 10.9.9.9 dev v0 proto <nil> flags [onlink]",
		"102": "blackhole",
		"110": "group [map[id:100] map[id:101 weight:7]]",
		"112": "group [map[id:100] map[id:101]] resilient buckets 16 idle 30 unbalanced 5",
	}
	for _, nh := range ipJSON(t, ns, "ip", "nexthop", "show") {
		id := fmt.Sprint(nh["id"])
		var got string
		switch {
		case nh["group"] != nil:
			got = fmt.Sprintf("group %v", nh["group"])
			if r, ok := nh["resilient_args"].(map[string]any); ok {
				got += fmt.Sprintf(" %v buckets %v idle %v unbalanced %v", nh["type"], r["buckets"], r["idle_timer"], r["unbalanced_timer"])
			}
		case nh["gateway"] != nil:
			got = fmt.Sprintf("via %v dev %v proto %v flags %v", nh["gateway"], nh["dev"], nh["protocol"], nh["flags"])
		default:
			if _, ok := nh["blackhole"]; ok {
				got = "blackhole"
			}
		}
		if w, ok := want[id]; ok && got != w {
			t.Errorf("nexthop %s: ip shows %q, want %q", id, got, w)
		}
	}

	// Weights above 256 use the high byte, which ip 6.1 ignores; and
	// group statistics come only when asked for with op_flags.
	var g *schema.View
	for _, v := range dump(t, ns, route.Nexthop, schema.Fields{"op_flags": []string{"dump_stats"}}) {
		if route.NexthopOf(v).ID() == 111 {
			g = v
		}
	}
	if g == nil {
		t.Fatal("nexthop 111: not in our dump")
	}
	got, _ := ourField(g, "group")
	checkField(t, "nexthop 111", "group", got, []any{
		map[string]any{"id": float64(100), "weight": float64(300)},
		map[string]any{"id": float64(101), "weight": float64(65535)},
	})
	stats, _ := ourField(g, "group_stats")
	checkField(t, "nexthop 111", "group_stats", stats, []any{
		map[string]any{"id": float64(100), "packets": float64(0)},
		map[string]any{"id": float64(101), "packets": float64(0)},
	})

	// A get by id answers with that nexthop alone.
	replies := mustExecute(t, ns, route.NexthopMessage, unix.RTM_GETNEXTHOP, 0, schema.Fields{"id": 101})
	if len(replies) != 1 {
		t.Fatalf("get nexthop 101: %d replies, want 1", len(replies))
	}
	v, err := schema.Decode(route.NexthopMessage, replies[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if nh := route.NexthopOf(v); nh.ID() != 101 || nh.Gateway().String() != "10.9.9.9" || nh.Flags()&unix.RTNH_F_ONLINK == 0 {
		t.Errorf("get nexthop 101: id %d gateway %v flags %#x", nh.ID(), nh.Gateway(), nh.Flags())
	}

	for _, id := range []int{112, 111, 110, 102, 101, 100} {
		mustExecute(t, ns, route.NexthopMessage, unix.RTM_DELNEXTHOP, 0, schema.Fields{"id": id})
	}
	if left := ipJSON(t, ns, "ip", "nexthop", "show"); len(left) != 0 {
		t.Errorf("after delete, ip still lists %v", left)
	}
}
