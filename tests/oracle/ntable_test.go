package oracle

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestOracleNTable compares every neighbour table ip lists, with and
// without -s, after changing one device's parameters from our encoding.
func TestOracleNTable(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "ntable", "change", "name", "arp_cache", "dev", "v1", "queue", "77", "app_probes", "2")
	names := linkNames(t, ns)
	idx := map[string]int64{}
	for k, name := range names {
		idx[name] = int64(k)
	}
	// Per-device parameters may be set in any namespace; the table-wide
	// thresholds only in the initial one.
	mustExecute(t, ns, route.NTableMessage, unix.RTM_SETNEIGHTBL, 0, schema.Fields{"family": "inet", "name": "arp_cache",
		"parms": schema.Fields{"ifindex": idx["v0"], "queue": 55, "ucast_probes": 4, "base_reachable": 20000, "locktime": 2000}})

	key := func(v *schema.View) string {
		dev := ""
		if p := field(v, "parms"); p != nil {
			if i, ok := ourField(p, "ifindex"); ok {
				dev = names[toF(i)]
			}
		}
		return str(v, "family") + " " + str(v, "name") + " " + dev
	}
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.NTable, nil) {
		ours[key(v)] = v
	}
	// Counters and the randomised reachable time move between the two
	// reads: the tables are shared by every namespace.
	moving := map[string]bool{"reachable": true, "refcnt": true, "allocs": true, "destroys": true, "hash_grows": true,
		"lookups": true, "hits": true, "res_failed": true, "rcv_probes_mcast": true, "rcv_probes_ucast": true,
		"periodic_gc_runs": true, "forced_gc_runs": true, "table_fulls": true, "entries": true, "hash_mask": true, "hash_chain_gc": true, "proxy_qlen": true}
	n := 0
	for _, args := range [][]string{{"ntable", "show"}, {"-s", "ntable", "show"}} {
		for _, theirs := range ipJSON(t, ns, "ip", args...) {
			dev, _ := theirs["dev"].(string)
			k := fmt.Sprintf("%v %v %s", theirs["family"], theirs["name"], dev)
			obj := fmt.Sprintf("ntable %s (ip %v)", k, args)
			v := ours[k]
			if v == nil {
				t.Errorf("%s: ip lists it, nlsh does not", obj)
				continue
			}
			n++
			// ip flattens config, parms and stats into one object, names
			// the device, and prints config's times as dates.
			parts := []*schema.View{v, field(v, "parms"), field(v, "config"), field(v, "stats")}
			for f, want := range theirs {
				switch f {
				case "family", "name":
					checkField(t, obj, f, str(v, f), want)
					continue
				case "dev", "last_flush", "last_rand":
					continue
				}
				var got any
				found := false
				for _, p := range parts {
					if p != nil && !found {
						got, found = ourField(p, f)
					}
				}
				if !found {
					t.Errorf("%s: field %s: ip prints %v, nlsh has no such field", obj, f, want)
					continue
				}
				if moving[f] {
					continue
				}
				if f == "hash_mask" {
					got = fmt.Sprintf("0x%x", uint64(toF(got)))
				}
				checkField(t, obj, f, got, want)
			}
			if strings.Contains(strings.Join(args, " "), "-s") && dev == "" {
				if field(v, "config") == nil || field(v, "stats") == nil {
					t.Errorf("%s: nlsh has no config or stats", obj)
				}
			}
		}
	}
	if n < 12 {
		t.Errorf("compared %d tables, want at least 12", n)
	}
	for dev, want := range map[string]map[string]float64{"v0": {"queue": 55, "ucast_probes": 4, "base_reachable": 20000, "locktime": 2000}, "v1": {"queue": 77, "app_probes": 2}} {
		p := field(ours["inet arp_cache "+dev], "parms")
		if p == nil {
			t.Errorf("ntable arp_cache %s: no parms", dev)
			continue
		}
		for f, w := range want {
			got, _ := ourField(p, f)
			checkField(t, "ntable arp_cache "+dev, f, got, w)
		}
	}
}
