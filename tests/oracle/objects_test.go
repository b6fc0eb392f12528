package oracle

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// objectsScenario builds neighbours, rules, nexthops, labels and a peer
// namespace id.
func objectsScenario(t *testing.T) (*nstest.NS, *nstest.NS) {
	ns := nstest.New(t)
	peer := nstest.New(t)
	for _, cmd := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "v1"},
		{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0"},
		{"neigh", "add", "10.0.0.6", "lladdr", "02:00:00:00:00:06", "dev", "v0", "nud", "reachable", "router"},
		{"neigh", "add", "10.0.0.8", "lladdr", "02:00:00:00:00:08", "dev", "v0", "nud", "stale"},
		{"-6", "neigh", "add", "2001:db8::5", "lladdr", "02:00:00:00:00:15", "dev", "v0"},
		{"neigh", "add", "proxy", "10.0.0.7", "dev", "v0"},
		{"rule", "add", "fwmark", "0x10/0xff", "table", "100", "priority", "100"},
		{"rule", "add", "iif", "v0", "oif", "v1", "ipproto", "tcp", "sport", "1000-2000", "dport", "80", "table", "101", "priority", "101"},
		{"rule", "add", "not", "from", "10.1.0.0/16", "to", "10.2.0.0/16", "blackhole", "priority", "102"},
		{"rule", "add", "from", "all", "lookup", "102", "suppress_prefixlength", "0", "priority", "104", "protocol", "bgp"},
		{"rule", "add", "uidrange", "100-200", "prohibit", "priority", "106"},
		{"-6", "rule", "add", "from", "2001:db8::/32", "table", "105", "priority", "105"},
		{"nexthop", "add", "id", "1", "via", "10.0.0.2", "dev", "v0", "onlink"},
		{"nexthop", "add", "id", "2", "via", "10.0.0.3", "dev", "v0", "onlink"},
		{"nexthop", "add", "id", "3", "blackhole"},
		{"nexthop", "add", "id", "4", "dev", "v0"},
		{"nexthop", "add", "id", "10", "group", "1/2,2"},
		{"nexthop", "add", "id", "11", "group", "1/2", "type", "resilient", "buckets", "8"},
		{"addrlabel", "add", "prefix", "2001:db8:100::/64", "label", "200"},
		{"netns", "set", peer.Name, "5"},
	} {
		ns.Run("ip", cmd...)
	}
	return ns, peer
}

// indexByKey lists objects by a key function.
func indexByKey(views []*schema.View, key func(*schema.View) string) map[string]*schema.View {
	m := map[string]*schema.View{}
	for _, v := range views {
		m[key(v)] = v
	}
	return m
}

func str(v *schema.View, name string) string {
	x, ok := ourField(v, name)
	if !ok {
		return ""
	}
	return fmt.Sprint(x)
}

func TestNeighOracle(t *testing.T) {
	ns, _ := objectsScenario(t)
	names := linkNames(t, ns)
	ours := indexByKey(dump(t, ns, route.Neigh, nil), func(v *schema.View) string { return str(v, "dst") })
	proxies := indexByKey(dump(t, ns, route.Neigh, schema.Fields{"flags": []string{"proxy"}}), func(v *schema.View) string { return str(v, "dst") })
	n := 0
	for _, args := range [][]string{{"neigh"}, {"-s", "neigh"}, {"neigh", "show", "proxy"}} {
		for _, theirs := range ipJSON(t, ns, "ip", args...) {
			dst := theirs["dst"].(string)
			v := ours[dst]
			if args[len(args)-1] == "proxy" {
				v = proxies[dst]
			}
			if v == nil {
				t.Errorf("neigh %s: ip lists it, nlsh does not", dst)
				continue
			}
			n++
			obj := fmt.Sprintf("neigh %s (ip %v)", dst, args)
			// ip prints each NTF_ flag as a key with a null value, the
			// device by name, and timers from cacheinfo in seconds.
			var skip []string
			flags, _ := ourField(v, "flags")
			for k, val := range theirs {
				if val == nil {
					skip = append(skip, k)
					if !slices.Contains(flags.([]any), any(k)) {
						t.Errorf("%s: ip prints %s, nlsh's flags %v lack it", obj, k, flags)
					}
				}
			}
			skip = append(skip, "dev", "used", "confirmed", "updated", "refcnt", "probes")
			compareFields(t, obj, v, theirs, nil, skip...)
			idx, _ := ourField(v, "ifindex")
			checkField(t, obj, "dev", names[toF(idx)], theirs["dev"])
			if _, ok := theirs["refcnt"]; ok {
				ci := field(v, "cacheinfo")
				if ci == nil {
					t.Errorf("%s: ip prints cache timers, nlsh has no cacheinfo", obj)
				} else {
					got, _ := ourField(ci, "refcnt")
					checkField(t, obj, "refcnt", got, theirs["refcnt"])
				}
			}
		}
	}
	if n < 7 {
		t.Errorf("compared %d neighbours, want at least 7", n)
	}
}

func TestRuleOracle(t *testing.T) {
	ns, _ := objectsScenario(t)
	for _, fam := range []string{"-4", "-6"} {
		ours := indexByKey(dump(t, ns, route.Rule, schema.Fields{"family": map[string]int{"-4": unix.AF_INET, "-6": unix.AF_INET6}[fam]}),
			func(v *schema.View) string { return fmt.Sprint(route.RuleOf(v).Priority()) })
		for _, theirs := range ipJSON(t, ns, "ip", fam, "rule") {
			prio := fmt.Sprint(theirs["priority"])
			v := ours[prio]
			if v == nil {
				t.Errorf("rule %s %s: ip lists it, nlsh does not", fam, prio)
				continue
			}
			compareRule(t, fmt.Sprintf("rule %s priority %s", fam, prio), v, theirs)
		}
	}
}

// compareRule maps ip's rule output: src and dst with separate lengths
// ("all" when absent), table by name, fwmark and fwmask in hex, port
// ranges as start and end, inversion and flags as null-valued keys.
func compareRule(t *testing.T, obj string, v *schema.View, theirs map[string]any) {
	for k, want := range theirs {
		switch k {
		case "src", "dst":
			got, ok := ourField(v, k)
			s, _ := got.(string)
			addr, bits, _ := strings.Cut(s, "/")
			if !ok {
				addr = "all"
			}
			checkField(t, obj, k, addr, want)
			if l, ok := theirs[k+"len"]; ok {
				checkField(t, obj, k+"len", bits, fmt.Sprint(l))
			}
		case "srclen", "dstlen":
		case "table":
			got, _ := ourField(v, "table")
			checkField(t, obj, k, fmt.Sprint(got), want)
		case "fwmark", "fwmask":
			got, _ := ourField(v, k)
			checkField(t, obj, k, fmt.Sprintf("0x%x", uint64(toF(got))), want)
		case "sport_start", "sport_end", "dport_start", "dport_end":
			r := field(v, k[:5]+"_range")
			if r == nil {
				t.Errorf("%s: ip prints %s, nlsh has no %s_range", obj, k, k[:5])
				continue
			}
			got, _ := ourField(r, strings.TrimPrefix(k, k[:6]))
			checkField(t, obj, k, got, want)
		case "sport", "dport":
			r := field(v, k+"_range")
			if r == nil {
				t.Errorf("%s: ip prints %s, nlsh has no %s_range", obj, k, k)
				continue
			}
			got, _ := ourField(r, "start")
			checkField(t, obj, k, got, want)
		case "uid_start", "uid_end":
			r := field(v, "uid_range")
			if r == nil {
				t.Errorf("%s: ip prints %s, nlsh has no uid_range", obj, k)
				continue
			}
			got, _ := ourField(r, strings.TrimPrefix(k, "uid_"))
			checkField(t, obj, k, got, want)
		case "not":
			flags, _ := ourField(v, "flags")
			if !slices.Contains(flags.([]any), any("not")) {
				t.Errorf("%s: ip prints not, nlsh's flags %v lack it", obj, flags)
			}
		default:
			got, ok := ourField(v, k)
			if !ok {
				t.Errorf("%s: field %s: ip prints %#v, nlsh has no such field", obj, k, want)
				continue
			}
			checkField(t, obj, k, got, want)
		}
	}
}

func TestNexthopOracle(t *testing.T) {
	ns, _ := objectsScenario(t)
	names := linkNames(t, ns)
	ours := indexByKey(dump(t, ns, route.Nexthop, nil), func(v *schema.View) string { return fmt.Sprint(route.NexthopOf(v).ID()) })
	theirsAll := ipJSON(t, ns, "ip", "nexthop")
	if len(theirsAll) < 6 {
		t.Fatalf("ip lists %d nexthops, want 6", len(theirsAll))
	}
	for _, theirs := range theirsAll {
		id := fmt.Sprint(theirs["id"])
		v := ours[id]
		if v == nil {
			t.Errorf("nexthop %s: ip lists it, nlsh does not", id)
			continue
		}
		obj := "nexthop " + id
		compareFields(t, obj, v, theirs, nil, "dev", "group", "blackhole", "resilient_args")
		if want, ok := theirs["dev"]; ok {
			oif, _ := ourField(v, "oif")
			checkField(t, obj, "dev", names[toF(oif)], want)
		}
		if _, ok := theirs["blackhole"]; ok {
			if got, _ := ourField(v, "blackhole"); got != true {
				t.Errorf("%s: ip prints blackhole, nlsh does not", obj)
			}
		}
		if want, ok := theirs["group"].([]any); ok {
			got, _ := ourField(v, "group")
			members, _ := got.([]any)
			if len(members) != len(want) {
				t.Errorf("%s: %d members, ip prints %d", obj, len(members), len(want))
				continue
			}
			for i, m := range want {
				w := m.(map[string]any)
				g := members[i].(map[string]any)
				if _, printed := w["weight"]; !printed {
					w["weight"] = float64(1) // ip leaves out the default weight
				}
				checkField(t, fmt.Sprintf("%s group[%d]", obj, i), "member", g, w)
			}
		}
		if want, ok := theirs["resilient_args"].(map[string]any); ok {
			r := field(v, "resilient_args")
			if r == nil {
				t.Errorf("%s: ip prints resilient, nlsh has none", obj)
				continue
			}
			// ip prints the clock_t timers in seconds.
			compareFields(t, obj+" resilient", r, want, nil, "unbalanced_time", "idle_timer", "unbalanced_timer")
			for _, k := range []string{"idle_timer", "unbalanced_timer"} {
				got, _ := ourField(r, k)
				checkField(t, obj+" resilient", k, toF(got)/100, want[k])
			}
		}
	}
}

func TestAddrLabelOracle(t *testing.T) {
	ns, _ := objectsScenario(t)
	// The kernel has address labels for IPv6 only, and answers a dump of
	// any other family with EOPNOTSUPP.
	ours := indexByKey(dump(t, ns, route.AddrLabel, schema.Fields{"family": unix.AF_INET6}), func(v *schema.View) string {
		return fmt.Sprintf("%s %s", strings.Split(str(v, "address"), "/")[0], str(v, "prefixlen"))
	})
	for _, theirs := range ipJSON(t, ns, "ip", "addrlabel") {
		key := fmt.Sprintf("%v %v", theirs["address"], theirs["prefixlen"])
		v := ours[key]
		if v == nil {
			t.Errorf("addrlabel %s: ip lists it, nlsh does not", key)
			continue
		}
		compareFields(t, "addrlabel "+key, v, theirs, nil, "address")
		addr := strings.Split(str(v, "address"), "/")[0]
		checkField(t, "addrlabel "+key, "address", addr, theirs["address"])
	}
}

func TestNSIDOracle(t *testing.T) {
	ns, peer := objectsScenario(t)
	views := dump(t, ns, route.NSID, nil)
	theirs := ipJSON(t, ns, "ip", "netns", "list-id")
	if len(theirs) != 1 || len(views) != 1 {
		t.Fatalf("nlsh lists %d ids, ip %d; want 1", len(views), len(theirs))
	}
	got, _ := ourField(views[0], "nsid")
	checkField(t, "nsid", "nsid", got, theirs[0]["nsid"])
	checkField(t, "nsid", "name", peer.Name, theirs[0]["name"])
}

func TestNetconfOracle(t *testing.T) {
	ns, _ := objectsScenario(t)
	names := linkNames(t, ns)
	ours := indexByKey(dump(t, ns, route.Netconf, nil), func(v *schema.View) string {
		idx, _ := ourField(v, "ifindex")
		name := fmt.Sprint(idx)
		if f, isNum := idx.(float64); isNum {
			name = names[f]
		}
		return str(v, "family") + " " + name
	})
	rp := map[string]float64{"off": 0, "strict": 1, "loose": 2}
	n := 0
	for _, theirs := range ipJSON(t, ns, "ip", "netconf", "show") {
		key := fmt.Sprintf("%v %v", theirs["family"], theirs["interface"])
		v := ours[key]
		if v == nil {
			t.Errorf("netconf %s: ip lists it, nlsh does not", key)
			continue
		}
		n++
		for k, want := range theirs {
			switch k {
			case "interface":
			case "family":
				checkField(t, "netconf "+key, k, str(v, k), want)
			case "rp_filter":
				got, _ := ourField(v, k)
				checkField(t, "netconf "+key, k, got, rp[want.(string)])
			default:
				got, _ := ourField(v, k)
				if b, isBool := want.(bool); isBool {
					want = map[bool]float64{false: 0, true: 1}[b]
				}
				checkField(t, "netconf "+key, k, got, want)
			}
		}
	}
	if n < 4 {
		t.Errorf("compared %d netconf entries, want at least 4", n)
	}
}

func TestNTableOracle(t *testing.T) {
	ns, _ := objectsScenario(t)
	names := linkNames(t, ns)
	ours := indexByKey(dump(t, ns, route.NTable, nil), func(v *schema.View) string {
		dev := ""
		if p := field(v, "parms"); p != nil {
			if idx, ok := ourField(p, "ifindex"); ok {
				dev = names[toF(idx)]
			}
		}
		return str(v, "family") + " " + str(v, "name") + " " + dev
	})
	n := 0
	for _, theirs := range ipJSON(t, ns, "ip", "ntable", "show") {
		dev, _ := theirs["dev"].(string)
		key := fmt.Sprintf("%v %v %s", theirs["family"], theirs["name"], dev)
		v := ours[key]
		if v == nil {
			t.Errorf("ntable %s: ip lists it, nlsh does not", key)
			continue
		}
		n++
		parms := field(v, "parms")
		for k, want := range theirs {
			switch k {
			case "dev", "family", "name":
				continue
			case "reachable", "refcnt":
				continue // the kernel randomises reachable time on every read; refcnt moves with use
			}
			got, ok := ourField(v, k)
			if !ok && parms != nil {
				got, ok = ourField(parms, k)
			}
			if !ok {
				if st := field(v, "stats"); st != nil {
					got, ok = ourField(st, k)
				}
			}
			if !ok {
				t.Errorf("ntable %s: field %s: ip prints %v, nlsh has no such field", key, k, want)
				continue
			}
			if k == "allocs" || k == "destroys" || k == "lookups" || k == "hits" || strings.HasPrefix(k, "rcv_") || strings.HasSuffix(k, "_runs") {
				continue // counters move between the two reads
			}
			checkField(t, "ntable "+key, k, got, want)
		}
	}
	if n < 3 {
		t.Errorf("compared %d tables, want at least 3", n)
	}
}
