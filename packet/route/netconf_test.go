package route_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestNetconfFixture decodes a kernel netconf dump: the all and default
// entries by name, rp_filter by name, and every attribute known.
func TestNetconfFixture(t *testing.T) {
	seen := map[string]bool{}
	for _, v := range decodeFixture(t, route.NetconfMessage, unix.RTM_NEWNETCONF, "netconf_dump") {
		seen[jsonOf(t, v, "family")+" "+jsonOf(t, v, "ifindex")] = true
		if jsonOf(t, v, "family") == `"inet"` && jsonOf(t, v, "ifindex") != `"all"` && jsonOf(t, v, "ifindex") != `"default"` &&
			jsonOf(t, v, "ifindex") != "1" {
			if got := jsonOf(t, v, "rp_filter"); got != `"loose"` && got != `"off"` {
				t.Errorf("rp_filter %s", got)
			}
		}
	}
	for _, k := range []string{`"inet" "all"`, `"inet" "default"`, `"inet6" "all"`, `"inet6" "default"`, `"inet" 1`} {
		if !seen[k] {
			t.Errorf("netconf %s missing; have %v", k, seen)
		}
	}
}

// TestNetconfCodec covers a get request and attributes this kernel did not
// send (input is MPLS's, force_forwarding IPv6's from 6.17).
func TestNetconfCodec(t *testing.T) {
	tests := []struct {
		fields schema.Fields
		want   map[string]string
	}{
		{schema.Fields{"family": "inet", "ifindex": "default"}, map[string]string{"ifindex": `"default"`}},
		{schema.Fields{"family": "mpls", "ifindex": 4, "input": 1}, map[string]string{"family": `"mpls"`, "ifindex": "4", "input": "1"}},
		{schema.Fields{"family": "inet6", "ifindex": "all", "force_forwarding": 1, "forwarding": 1, "proxy_neigh": 0},
			map[string]string{"force_forwarding": "1", "forwarding": "1", "proxy_neigh": "0"}},
		{schema.Fields{"family": "inet", "rp_filter": "strict", "bc_forwarding": 1, "mc_forwarding": 0, "ignore_routes_with_linkdown": 1},
			map[string]string{"rp_filter": `"strict"`, "bc_forwarding": "1", "ignore_routes_with_linkdown": "1"}},
	}
	for _, tt := range tests {
		v, b := encodeFields(t, route.NetconfMessage, tt.fields)
		if len(b) < 4 || b[1] != 0 || b[2] != 0 || b[3] != 0 {
			t.Errorf("netconfmsg is not padded to 4 bytes: % x", b)
		}
		for k, w := range tt.want {
			if got := jsonOf(t, v, k); got != w {
				t.Errorf("%v: %s = %s, want %s", tt.fields, k, got, w)
			}
		}
		roundTripView(t, route.NetconfMessage, v)
	}
}
