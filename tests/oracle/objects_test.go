package oracle

import (
	"fmt"
	"slices"
	"testing"

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
