package oracle

import (
	"fmt"
	"testing"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func TestAddrOracle(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "set", "v0", "up")
	ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0", "label", "v0:a")
	ns.Run("ip", "addr", "add", "10.0.1.1/24", "dev", "v0", "valid_lft", "300", "preferred_lft", "200")
	ns.Run("ip", "addr", "add", "10.0.2.1", "peer", "10.0.2.2/32", "dev", "v0")
	ns.Run("ip", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad", "noprefixroute")
	ns.Run("ip", "addr", "add", "2001:db8:1::1/64", "dev", "v0", "valid_lft", "600", "preferred_lft", "0")

	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.Addr, nil) {
		ours[addrKey(v)] = v
	}
	links := ipJSON(t, ns, "ip", "addr", "show")
	n := 0
	for _, l := range links {
		for _, raw := range l["addr_info"].([]any) {
			theirs := raw.(map[string]any)
			key := fmt.Sprintf("%v/%v", theirs["local"], theirs["prefixlen"])
			v := ours[key]
			if v == nil {
				t.Errorf("addr %s: iproute2 prints it, nlsh did not list it", key)
				continue
			}
			n++
			// ip prints each flag as a boolean of its own; nlsh lists them.
			flags := map[string]bool{}
			if f, ok := ourField(v, "flags"); ok {
				for _, name := range f.([]any) {
					flags[name.(string)] = true
				}
			}
			var skip []string
			for name, val := range theirs {
				if b, isBool := val.(bool); isBool {
					skip = append(skip, name)
					if want := map[string]string{"dynamic": "permanent"}[name]; want != "" {
						checkField(t, "addr "+key, name, !flags[want], b)
						continue
					}
					checkField(t, "addr "+key, name, flags[name], b)
				}
			}
			// A permanent address has no "dynamic" key in ip's output.
			if _, ok := theirs["dynamic"]; !ok && !flags["permanent"] {
				t.Errorf("addr %s: nlsh lacks the permanent flag that ip implies", key)
			}
			compareFields(t, "addr "+key, v, theirs, nil, skip...)
		}
	}
	if n < 7 {
		t.Errorf("compared %d addresses, want at least 7", n)
	}
}

func addrKey(v *schema.View) string {
	a := route.AddrOf(v)
	return fmt.Sprintf("%v/%d", a.Local().Addr(), a.PrefixLen())
}
