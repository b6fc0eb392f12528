package oracle

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// neighScenario builds neighbours of every state and flag ip can set,
// dynamic ones learnt by pinging a peer namespace over a veth pair, and
// IPv4 and IPv6 proxy entries.
func neighScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	peer := nstest.New(t)
	// No link-local addresses and no DAD: they would send neighbour
	// solicitations and MLD reports whose multicast neighbour entries
	// appear at their own pace, between our dump and ip's.
	ns.Run("sysctl", "-qw", "net.ipv6.conf.default.addr_gen_mode=1", "net.ipv6.conf.default.accept_dad=0")
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "add", "v2", "type", "veth", "peer", "v3")
	ns.Run("ip", "link", "set", "v1", "netns", peer.Name)
	peer.Run("ip", "link", "set", "v1", "address", "02:00:00:00:01:01")
	peer.Run("ip", "link", "set", "v1", "up")
	peer.Run("ip", "addr", "add", "10.0.0.2/24", "dev", "v1")
	peer.Run("ip", "-6", "addr", "add", "2001:db8::2/64", "dev", "v1", "nodad")
	for _, cmd := range [][]string{
		{"link", "set", "v0", "up"}, {"link", "set", "v2", "up"}, {"link", "set", "v3", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"addr", "add", "10.0.1.1/24", "dev", "v2"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "v0", "nud", "reachable", "router"},
		{"neigh", "add", "10.0.0.8", "lladdr", "02:00:00:00:00:08", "dev", "v0", "nud", "stale"},
		{"neigh", "add", "10.0.0.9", "lladdr", "02:00:00:00:00:09", "dev", "v0", "nud", "noarp"},
		{"neigh", "add", "10.0.0.10", "lladdr", "02:00:00:00:00:0a", "dev", "v0", "nud", "delay"},
		{"neigh", "add", "10.0.0.11", "lladdr", "02:00:00:00:00:0b", "dev", "v0", "extern_learn"},
		{"neigh", "add", "10.0.0.12", "lladdr", "02:00:00:00:00:0c", "dev", "v0", "protocol", "bgp"},
		{"neigh", "add", "10.0.1.13", "lladdr", "02:00:00:00:00:0d", "dev", "v2", "nud", "permanent"},
		{"neigh", "add", "10.0.0.30", "dev", "v0", "managed"},
		{"-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:15", "dev", "v0"},
		{"-6", "neigh", "add", "2001:db8::6", "lladdr", "02:00:00:00:00:16", "dev", "v0", "router", "nud", "stale"},
		{"neigh", "add", "proxy", "10.0.0.7", "dev", "v0"},
		{"neigh", "add", "proxy", "10.0.1.7", "dev", "v2"},
		{"-6", "neigh", "add", "proxy", "2001:db8::77", "dev", "v0"},
	} {
		ns.Run("ip", cmd...)
	}
	// Dynamic entries: the kernel resolves the peer.
	ns.Run("ping", "-c", "1", "-W", "2", "10.0.0.2")
	ns.Run("ping", "-6", "-c", "1", "-W", "2", "2001:db8::2")
	return ns
}

// neighKey names a neighbour by address and device.
func neighKey(v *schema.View, names map[float64]string) string {
	n := route.NeighOf(v)
	return fmt.Sprintf("%v %s", n.Dst(), names[float64(n.Index())])
}

// TestNeighEntriesOracle compares every neighbour and proxy entry with ip
// -j neigh, with and without -s, in every state.
func TestNeighEntriesOracle(t *testing.T) {
	ns := neighScenario(t)
	names := linkNames(t, ns)
	byKey := func(views []*schema.View) map[string]*schema.View {
		m := map[string]*schema.View{}
		for _, v := range views {
			m[neighKey(v, names)] = v
		}
		return m
	}
	ours := byKey(dump(t, ns, route.Neigh, nil))
	proxies := byKey(dump(t, ns, route.Neigh, schema.Fields{"flags": []string{"proxy"}}))
	seen := map[string]bool{}
	n := 0
	for _, args := range [][]string{
		{"neigh", "show", "nud", "all"}, {"-s", "neigh", "show", "nud", "all"}, {"neigh"}, {"-6", "neigh"},
		{"neigh", "show", "proxy"}, {"-s", "neigh", "show", "proxy"},
	} {
		proxy := args[len(args)-1] == "proxy"
		for _, theirs := range ipJSON(t, ns, "ip", args...) {
			key := fmt.Sprintf("%v %v", theirs["dst"], theirs["dev"])
			v := ours[key]
			if proxy {
				v = proxies[key]
			}
			if v == nil {
				t.Errorf("neigh %s: ip %v lists it, nlsh does not", key, args)
				continue
			}
			n++
			seen[key] = true
			compareNeigh(t, fmt.Sprintf("neigh %s (ip %v)", key, args), v, theirs, names)
		}
	}
	for k, v := range ours {
		if !seen[k] {
			t.Errorf("neigh %s: nlsh lists it (%s), ip does not", k, v.AppendJSON(nil))
		}
	}
	for k := range proxies {
		if !seen[k] {
			t.Errorf("proxy %s: nlsh lists it, ip does not", k)
		}
	}
	for _, want := range []string{"10.0.0.2 v0", "2001:db8::2 v0", "10.0.0.30 v0", "10.0.0.9 v0", "10.0.0.7 v0", "2001:db8::77 v0", "10.0.0.12 v0"} {
		if !seen[want] {
			t.Errorf("neigh %s was not compared", want)
		}
	}
	if n < 40 {
		t.Errorf("compared %d neighbours, want at least 40", n)
	}
	// The peer was resolved: its entry has the peer's MAC.
	if mac := route.NeighOf(ours["10.0.0.2 v0"]).LLAddr().String(); mac != "02:00:00:00:01:01" {
		t.Errorf("10.0.0.2 lladdr %s", mac)
	}
}

// compareNeigh compares one neighbour. ip prints each NTF_* flag (and
// NTF_EXT_MANAGED) as a key with a null value, the device by name, and
// with -s the cacheinfo timers in seconds.
func compareNeigh(t *testing.T, obj string, v *schema.View, theirs map[string]any, names map[float64]string) {
	t.Helper()
	skip := []string{"dev", "used", "confirmed", "updated", "refcnt"}
	flags, _ := ourField(v, "flags")
	ext, _ := ourField(v, "flags_ext")
	extList, _ := ext.([]any)
	for k, val := range theirs {
		if val != nil {
			continue
		}
		skip = append(skip, k)
		if !slices.Contains(flags.([]any), any(k)) && !slices.Contains(extList, any(k)) {
			t.Errorf("%s: ip prints %s, nlsh's flags %v %v lack it", obj, k, flags, ext)
		}
	}
	// Every flag ip would print, we have only when it prints it.
	for _, f := range append(slices.Clone(flags.([]any)), extList...) {
		if slices.Contains([]any{"router", "proxy", "extern_learn", "offload", "managed"}, f) {
			if _, ok := theirs[f.(string)]; !ok {
				t.Errorf("%s: nlsh has flag %v, ip does not print it", obj, f)
			}
		}
	}
	compareFields(t, obj, v, theirs, nil, skip...)
	idx, _ := ourField(v, "ifindex")
	checkField(t, obj, "dev", names[toF(idx)], theirs["dev"])
	if _, ok := theirs["used"]; ok {
		ci := field(v, "cacheinfo")
		if ci == nil {
			t.Errorf("%s: ip prints cache timers, nlsh has no cacheinfo", obj)
			return
		}
		for _, k := range []string{"used", "confirmed", "updated", "refcnt"} {
			want, ok := theirs[k]
			got, _ := ourField(ci, k)
			if !ok {
				if k == "refcnt" && toF(got) != 0 {
					t.Errorf("%s: nlsh's refcnt is %v, ip prints none", obj, got)
				}
				continue
			}
			g := toF(got)
			if k != "refcnt" {
				g = math.Floor(g / 100)
			}
			// ip dumps a moment after nlsh.
			if math.Abs(g-toF(want)) > 1 {
				t.Errorf("%s: field %s: nlsh says %v, iproute2 says %v", obj, k, g, want)
			}
		}
	}
}

// fdbScenario builds a bridge with a port and a VXLAN device, and fdb
// entries of each kind: master static and permanent, sticky, self, and
// VXLAN remotes with their own port, VNI, source VNI and device.
func fdbScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	for _, cmd := range [][]string{
		{"ip", "link", "add", "br0", "type", "bridge"},
		{"ip", "link", "add", "p0", "type", "veth", "peer", "q0"},
		{"ip", "link", "set", "p0", "master", "br0"},
		// No learning: a frame from q0 (its address's ARP, say) would add
		// an entry between our dump and bridge's.
		{"bridge", "link", "set", "dev", "p0", "learning", "off"},
		{"ip", "link", "set", "br0", "up"}, {"ip", "link", "set", "p0", "up"}, {"ip", "link", "set", "q0", "up"},
		{"ip", "addr", "add", "10.0.0.1/24", "dev", "q0"},
		{"ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1"},
		{"ip", "link", "add", "vx1", "type", "vxlan", "external", "dstport", "4790"},
		{"ip", "link", "set", "vx0", "master", "br0"},
		{"ip", "link", "set", "vx0", "up"}, {"ip", "link", "set", "vx1", "up"},
		{"bridge", "fdb", "add", "02:00:00:00:00:01", "dev", "p0", "master", "static"},
		{"bridge", "fdb", "add", "02:00:00:00:00:02", "dev", "p0", "master", "permanent"},
		{"bridge", "fdb", "add", "02:00:00:00:00:03", "dev", "p0", "self", "permanent"},
		{"bridge", "fdb", "add", "02:00:00:00:00:04", "dev", "p0", "master", "static", "sticky"},
		{"bridge", "fdb", "add", "02:00:00:00:00:05", "dev", "p0", "master", "extern_learn"},
		{"bridge", "fdb", "add", "00:00:00:00:00:00", "dev", "vx0", "dst", "10.0.0.2", "self", "permanent"},
		{"bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "10.0.0.3", "port", "4999", "vni", "43", "via", "q0", "self", "permanent"},
		{"bridge", "fdb", "add", "02:00:00:00:00:06", "dev", "vx0", "dst", "10.0.0.4", "self", "static"},
		{"bridge", "fdb", "add", "02:00:00:00:00:07", "dev", "vx1", "dst", "10.0.0.5", "vni", "100", "src_vni", "200", "self", "permanent"},
	} {
		ns.Run(cmd[0], cmd[1:]...)
	}
	return ns
}

// TestNeighFDBOracle compares the AF_BRIDGE neighbours with bridge -j fdb
// show, field by field: the MAC, the device, master and via device by
// name, the VXLAN remote's dst, port, vni and src_vni, the flags, the
// state in bridge's words and, with -s, the timers.
func TestNeighFDBOracle(t *testing.T) {
	ns := fdbScenario(t)
	names := linkNames(t, ns)
	key := func(mac, dev, dst any) string { return fmt.Sprintf("%v %v %v", mac, dev, dst) }
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.Neigh, schema.Fields{"family": unix.AF_BRIDGE}) {
		if route.NeighOf(v).Family() != unix.AF_BRIDGE {
			t.Errorf("an AF_BRIDGE dump returned family %d", route.NeighOf(v).Family())
		}
		mac, _ := ourField(v, "lladdr")
		dst, _ := ourField(v, "dst")
		idx, _ := ourField(v, "ifindex")
		ours[key(mac, names[toF(idx)], dst)] = v
	}
	states := map[string]string{"PERMANENT": "permanent", "NOARP": "static", "STALE": "stale", "REACHABLE": ""}
	seen := map[string]bool{}
	for _, args := range [][]string{{"fdb", "show"}, {"-s", "fdb", "show"}, {"-d", "fdb", "show"}} {
		for _, theirs := range ipJSON(t, ns, "bridge", args...) {
			k := key(theirs["mac"], theirs["ifname"], theirs["dst"])
			v := ours[k]
			if v == nil {
				t.Errorf("fdb %s: bridge lists it, nlsh does not", k)
				continue
			}
			seen[k] = true
			obj := fmt.Sprintf("fdb %s (bridge %v)", k, args)
			renamed := map[string]string{"mac": "lladdr"}
			compareFields(t, obj, v, theirs, renamed, "ifname", "viaIf", "master", "state", "flags", "used", "updated")
			idx, _ := ourField(v, "ifindex")
			checkField(t, obj, "ifname", names[toF(idx)], theirs["ifname"])
			for theirName, ourName := range map[string]string{"viaIf": "via", "master": "master"} {
				want, ok := theirs[theirName]
				got, has := ourField(v, ourName)
				if ok != has {
					t.Errorf("%s: bridge prints %s %v, nlsh has %v", obj, theirName, want, got)
				} else if ok {
					checkField(t, obj, theirName, names[toF(got)], want)
				}
			}
			st, _ := ourField(v, "state")
			state := "?"
			for _, s := range []string{"PERMANENT", "NOARP", "STALE", "REACHABLE"} {
				if slices.Contains(st.([]any), any(s)) {
					state = states[s]
					break
				}
			}
			checkField(t, obj, "state", state, theirs["state"])
			fl, _ := ourField(v, "flags")
			var flags []any
			for _, f := range fl.([]any) {
				if slices.Contains([]any{"self", "router", "extern_learn", "offload", "master", "sticky"}, f) {
					flags = append(flags, f)
				}
			}
			want, _ := theirs["flags"].([]any)
			slices.SortFunc(want, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			slices.SortFunc(flags, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
			if len(want) != 0 || len(flags) != 0 {
				checkField(t, obj, "flags", flags, want)
			}
			if _, ok := theirs["used"]; ok {
				ci := field(v, "cacheinfo")
				for _, k := range []string{"used", "updated"} {
					got, _ := ourField(ci, k)
					if math.Abs(math.Floor(toF(got)/100)-toF(theirs[k])) > 1 {
						t.Errorf("%s: field %s: nlsh says %v, bridge says %v", obj, k, got, theirs[k])
					}
				}
			}
		}
	}
	for k := range ours {
		if !seen[k] {
			t.Errorf("fdb %s: nlsh lists it, bridge does not", k)
		}
	}
	for _, want := range []string{"00:00:00:00:00:00 vx0 10.0.0.3", "02:00:00:00:00:07 vx1 10.0.0.5", "02:00:00:00:00:04 p0 <nil>", "02:00:00:00:00:05 p0 <nil>"} {
		if !seen[want] {
			t.Errorf("fdb %s was not compared", want)
		}
	}
}

// TestNeighDumpFilter lists neighbours with the filters the kernel applies
// under strict checking, and the object client's own.
func TestNeighDumpFilter(t *testing.T) {
	ns := neighScenario(t)
	names := linkNames(t, ns)
	idx := map[string]int64{}
	for k, v := range names {
		idx[v] = int64(k)
	}
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client := objects.New(c, route.Family)
	for _, tt := range []struct {
		filter schema.Fields
		ip     []string
	}{
		{schema.Fields{"family": "inet", "ifindex": idx["v2"]}, []string{"-4", "neigh", "show", "dev", "v2", "nud", "all"}},
		{schema.Fields{"family": "inet6"}, []string{"-6", "neigh", "show", "nud", "all"}},
		{schema.Fields{"family": "inet", "flags": []string{"proxy"}}, []string{"-4", "neigh", "show", "proxy"}},
	} {
		var ours []string
		for v, err := range client.Dump(context.Background(), route.Neigh, tt.filter) {
			if err != nil {
				t.Fatalf("dump %v: %v", tt.filter, err)
			}
			ours = append(ours, route.NeighOf(v).Dst().String())
		}
		var theirs []string
		for _, r := range ipJSON(t, ns, "ip", tt.ip...) {
			theirs = append(theirs, r["dst"].(string))
		}
		slices.Sort(ours)
		slices.Sort(theirs)
		if len(ours) == 0 || !slices.Equal(ours, theirs) {
			t.Errorf("filter %v: nlsh lists %v, ip %v lists %v", tt.filter, ours, tt.ip, theirs)
		}
	}
}

// TestNeighLifecycle adds, replaces and deletes neighbours and a proxy
// entry through the object client.
func TestNeighLifecycle(t *testing.T) {
	ns := neighScenario(t)
	idx := map[string]int64{}
	for k, v := range linkNames(t, ns) {
		idx[v] = int64(k)
	}
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client := objects.New(c, route.Family)
	ctx := context.Background()
	show := func(args ...string) string {
		var parts []string
		for _, r := range ipJSON(t, ns, "ip", args...) {
			if d := r["dst"].(string); strings.HasPrefix(d, "10.0.0.4") {
				p := fmt.Sprintf("%v %v %v", d, r["lladdr"], r["state"])
				if _, ok := r["router"]; ok {
					p += " router"
				}
				parts = append(parts, p)
			}
		}
		slices.Sort(parts)
		return strings.Join(parts, "; ")
	}
	for i, s := range []struct {
		op     objects.Op
		fields schema.Fields
		args   []string
		want   string
	}{
		{objects.Add, schema.Fields{"family": "inet", "ifindex": idx["v0"], "dst": "10.0.0.40", "lladdr": "02:00:00:00:00:40", "state": []string{"PERMANENT"}},
			[]string{"-4", "neigh"}, "10.0.0.40 02:00:00:00:00:40 [PERMANENT]"},
		{objects.Replace, schema.Fields{"family": "inet", "ifindex": idx["v0"], "dst": "10.0.0.40", "lladdr": "02:00:00:00:00:41", "state": []string{"STALE"}, "flags": []string{"router"}},
			[]string{"-4", "neigh"}, "10.0.0.40 02:00:00:00:00:41 [STALE] router"},
		{objects.Add, schema.Fields{"family": "inet", "ifindex": idx["v0"], "dst": "10.0.0.41", "flags": []string{"proxy"}},
			[]string{"-4", "neigh", "show", "proxy"}, "10.0.0.41 <nil> <nil>"},
		{objects.Delete, schema.Fields{"family": "inet", "ifindex": idx["v0"], "dst": "10.0.0.40"},
			[]string{"-4", "neigh"}, ""},
		{objects.Delete, schema.Fields{"family": "inet", "ifindex": idx["v0"], "dst": "10.0.0.41", "flags": []string{"proxy"}},
			[]string{"-4", "neigh", "show", "proxy"}, ""},
	} {
		if err := client.Do(ctx, route.Neigh, s.op, s.fields); err != nil {
			t.Fatalf("step %d (%s): %v", i, s.op, err)
		}
		if got := show(s.args...); got != s.want {
			t.Errorf("after step %d (%s): ip shows %q, want %q", i, s.op, got, s.want)
		}
	}
}
