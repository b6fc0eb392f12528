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

// TestOracleNetconf compares every netconf entry ip lists, with settings
// changed from their defaults so that the values differ.
func TestOracleNetconf(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	for _, kv := range []string{
		"net.ipv4.conf.v0.forwarding=1", "net.ipv4.conf.v1.rp_filter=2", "net.ipv4.conf.v0.rp_filter=1",
		"net.ipv4.conf.v0.proxy_arp=1", "net.ipv4.conf.all.ignore_routes_with_linkdown=1",
		"net.ipv6.conf.v1.forwarding=1", "net.ipv6.conf.v0.proxy_ndp=1", "net.ipv4.conf.default.bc_forwarding=1",
	} {
		ns.Run("sysctl", "-q", "-w", kv)
	}
	names := linkNames(t, ns)
	key := func(v *schema.View) string {
		idx, _ := ourField(v, "ifindex")
		name := fmt.Sprint(idx)
		if f, isNum := idx.(float64); isNum {
			name = names[f]
		}
		return str(v, "family") + " " + name
	}
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.Netconf, nil) {
		ours[key(v)] = v
	}
	n := 0
	for _, args := range [][]string{{"netconf", "show"}, {"-4", "netconf", "show", "dev", "v0"}, {"-6", "netconf", "show", "dev", "v1"}} {
		var list []map[string]any
		if len(args) == 2 {
			list = ipJSON(t, ns, "ip", args...)
		} else {
			// ip 6.1 prints one device's netconf as text even with -j.
			list = netconfText(t, ns.Run("ip", args...))
		}
		for _, theirs := range list {
			k := fmt.Sprintf("%v %v", theirs["family"], theirs["interface"])
			obj := fmt.Sprintf("netconf %s (ip %v)", k, args)
			v := ours[k]
			if v == nil {
				t.Errorf("%s: ip lists it, nlsh does not", obj)
				continue
			}
			n++
			// ip prints the interface by name (or all, default) and the
			// on/off settings as booleans.
			var skip []string
			for f, want := range theirs {
				if b, isBool := want.(bool); isBool {
					skip = append(skip, f)
					got, _ := ourField(v, f)
					checkField(t, obj, f, got != float64(0), b)
				}
			}
			compareFields(t, obj, v, theirs, nil, append(skip, "interface")...)
		}
	}
	if n < 12 {
		t.Errorf("compared %d netconf entries, want at least 12", n)
	}
	for k, want := range map[string]any{"inet v0 forwarding": float64(1), "inet v1 rp_filter": "loose", "inet v0 rp_filter": "strict",
		"inet v0 proxy_neigh": float64(1), "inet all ignore_routes_with_linkdown": float64(1), "inet6 v1 forwarding": float64(1),
		"inet6 v0 proxy_neigh": float64(1), "inet default bc_forwarding": float64(1)} {
		var fam, dev, f string
		fmt.Sscan(k, &fam, &dev, &f)
		if v := ours[fam+" "+dev]; v == nil {
			t.Errorf("netconf %s %s: not listed", fam, dev)
		} else {
			got, _ := ourField(v, f)
			checkField(t, "netconf "+fam+" "+dev, f, got, want)
		}
	}

	// A get names the family and the interface.
	replies := mustExecute(t, ns, route.NetconfMessage, unix.RTM_GETNETCONF, 0, schema.Fields{"family": "inet", "ifindex": "all"})
	if len(replies) != 1 {
		t.Fatalf("get netconf inet all: %d replies, want 1", len(replies))
	}
	v, err := schema.Decode(route.NetconfMessage, replies[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ourField(v, "ifindex")
	checkField(t, "get netconf inet all", "ifindex", got, "all")
}

// netconfText parses ip's text netconf lines, "inet v0 forwarding on
// rp_filter strict ...", into what ip -j would print: on/off as booleans.
func netconfText(t *testing.T, out string) []map[string]any {
	var list []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		w := strings.Fields(line)
		if len(w) < 2 || len(w)%2 != 0 {
			t.Fatalf("ip netconf: cannot parse %q", line)
		}
		m := map[string]any{"family": w[0], "interface": w[1]}
		for i := 2; i < len(w); i += 2 {
			switch w[i+1] {
			case "on", "off":
				m[w[i]] = w[i+1] == "on"
			default:
				m[w[i]] = w[i+1]
			}
		}
		list = append(list, m)
	}
	return list
}
