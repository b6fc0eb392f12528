package oracle

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// linkScenario builds every kind of link the test kernel can create.
func linkScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	// No IPv6 autoconfiguration traffic: counters must hold still between
	// our dump and ip's.
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "add", "br0", "type", "bridge")
	ns.Run("ip", "link", "set", "v0", "master", "br0")
	ns.Run("ip", "link", "set", "br0", "up")
	ns.Run("ip", "link", "set", "v0", "up")
	ns.Run("ip", "link", "set", "v1", "up", "mtu", "1400")
	ns.Run("ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1")
	ns.Run("ip", "link", "add", "mv0", "link", "v1", "type", "macvlan", "mode", "bridge")
	ns.Run("ip", "link", "add", "mvt0", "link", "v1", "type", "macvtap", "mode", "vepa")
	ns.Run("ip", "link", "add", "ifb0", "type", "ifb")
	ns.Run("ip", "tuntap", "add", "tap0", "mode", "tap")
	ns.Run("ip", "link", "property", "add", "dev", "v1", "altname", "second-name")
	ns.Run("ip", "link", "set", "v1", "alias", "the peer")
	ns.Run("ip", "link", "set", "mv0", "address", "02:00:00:00:00:42")
	return ns
}

// ipFlagsDerived are flags ip prints that are not ifi_flags bits: it works
// them out from other state.
var ipFlagsDerived = map[string]bool{"M-DOWN": true, "NO-CARRIER": true}

// ipFlagsHidden are ifi_flags bits ip never prints.
var ipFlagsHidden = map[string]bool{"RUNNING": true}

func TestLinkOracle(t *testing.T) {
	ns := linkScenario(t)
	ours := map[string]*schema.View{}
	names := map[uint64]string{}
	for _, v := range dump(t, ns, route.Link, nil) {
		l := route.LinkOf(v)
		ours[l.Name()] = v
		names[uint64(l.Index())] = l.Name()
	}
	for _, args := range [][]string{{"link"}, {"-d", "link"}, {"-s", "link"}} {
		for _, theirs := range ipJSON(t, ns, "ip", args...) {
			name := theirs["ifname"].(string)
			v := ours[name]
			if v == nil {
				t.Errorf("link %s: ip lists it, nlsh does not", name)
				continue
			}
			obj := fmt.Sprintf("link %s (ip %v)", name, args)
			skip := []string{"flags", "link", "master", "linkinfo", "stats64", "link_index", "altnames"}
			compareFields(t, obj, v, theirs, nil, skip...)

			// ip names the peer and the master instead of giving indexes.
			for _, f := range []string{"link", "master"} {
				if want, ok := theirs[f]; ok {
					idx, _ := ourField(v, f)
					checkField(t, obj, f, names[uint64(idx.(float64))], want)
				}
			}
			var ourFlags, ipFlags []string
			f, _ := ourField(v, "flags")
			for _, x := range f.([]any) {
				if !ipFlagsHidden[x.(string)] {
					ourFlags = append(ourFlags, x.(string))
				}
			}
			for _, x := range theirs["flags"].([]any) {
				if !ipFlagsDerived[x.(string)] {
					ipFlags = append(ipFlags, x.(string))
				}
			}
			sort.Strings(ourFlags)
			sort.Strings(ipFlags)
			checkField(t, obj, "flags", ourFlags, ipFlags)
			if want, ok := theirs["altnames"]; ok {
				got, _ := ourField(v, "altnames")
				checkField(t, obj, "altnames", got, want)
			}
			if li, ok := theirs["linkinfo"].(map[string]any); ok {
				compareLinkinfo(t, obj, v, li)
			}
			if st, ok := theirs["stats64"].(map[string]any); ok {
				compareStats64(t, obj, v, st)
			}
		}
	}
}

func compareLinkinfo(t *testing.T, obj string, v *schema.View, theirs map[string]any) {
	raw, ok, _ := v.Get("linkinfo")
	if !ok {
		t.Errorf("%s: ip prints linkinfo, nlsh has none", obj)
		return
	}
	li := raw.(*schema.View)
	for _, k := range []string{"info_kind", "info_slave_kind"} {
		if want, ok := theirs[k]; ok {
			got, _ := ourField(li, k)
			checkField(t, obj, "linkinfo."+k, got, want)
		}
	}
	for _, k := range []string{"info_data", "info_slave_data"} {
		want, ok := theirs[k].(map[string]any)
		if !ok {
			continue
		}
		got, ok, err := li.Get(k)
		if !ok || err != nil {
			t.Errorf("%s: ip prints linkinfo.%s, nlsh has none (%v)", obj, k, err)
			continue
		}
		compareKindData(t, obj+" linkinfo."+k, got.(*schema.View), want)
	}
}

// ipRenames maps the names ip gives some kind-specific fields to ours,
// where ip prints a field under another name than the kernel's.
var ipRenames = map[string]string{"id": "port_id", "no": "port_no"}

// ipDerived lists kind-specific fields ip computes or reformats beyond a
// type change (timers in seconds, masks as strings, "df" as words); they
// are checked for presence only.
var ipDerived = map[string]bool{
	"hello_timer": true, "tcn_timer": true, "topology_change_timer": true, "gc_timer": true,
	"hold_timer": true, "message_age_timer": true, "forward_delay_timer": true,
	"group_fwd_mask": true, "group_fwd_mask_str": true, "df": true,
	"no_linklocal_learn": true, "mcast_vlan_snooping": true, "mst_enabled": true,
	"vlan_protocol": true,
}

// compareKindData compares kind-specific data. ip prints some u8 settings
// as booleans; those compare equal to our 0 and 1.
func compareKindData(t *testing.T, obj string, v *schema.View, theirs map[string]any) {
	for name, want := range theirs {
		ours := name
		if r, ok := ipRenames[name]; ok && slices.Contains([]string{"id", "no"}, name) && v.Set().ByName(name) == nil {
			ours = r
		}
		if ipDerived[name] {
			continue
		}
		got, ok := ourField(v, ours)
		if !ok {
			t.Errorf("%s: field %s: ip prints %#v, nlsh has no such field", obj, name, want)
			continue
		}
		if b, isBool := want.(bool); isBool {
			want = map[bool]float64{false: 0, true: 1}[b]
			if s, isStr := got.(string); isStr {
				got = map[string]float64{"off": 0, "on": 1}[s]
			}
		}
		if s, isStr := want.(string); isStr && (name == "id" || name == "no") {
			var n uint64
			fmt.Sscanf(s, "0x%x", &n)
			want = float64(n)
		}
		if m, isMap := want.(map[string]any); isMap {
			if sub, ok, _ := v.Get(ours); ok {
				if sv, isView := sub.(*schema.View); isView {
					compareKindData(t, obj+"."+name, sv, m)
					continue
				}
			}
		}
		checkField(t, obj, name, got, want)
	}
}

func compareStats64(t *testing.T, obj string, v *schema.View, theirs map[string]any) {
	raw, ok, _ := v.Get("stats64")
	if !ok {
		t.Errorf("%s: ip prints stats64, nlsh has none", obj)
		return
	}
	st := raw.(*schema.View)
	// ip nests rx and tx and renames a few counters.
	names := map[string]string{
		"rx.bytes": "rx_bytes", "rx.packets": "rx_packets", "rx.errors": "rx_errors", "rx.dropped": "rx_dropped",
		"rx.over_errors": "rx_over_errors", "rx.multicast": "multicast", "tx.bytes": "tx_bytes",
		"tx.packets": "tx_packets", "tx.errors": "tx_errors", "tx.dropped": "tx_dropped",
		"tx.carrier_errors": "tx_carrier_errors", "tx.collisions": "collisions",
	}
	for dir, m := range theirs {
		for k, want := range m.(map[string]any) {
			ours, ok := names[dir+"."+k]
			if !ok {
				t.Errorf("%s: stats64.%s.%s has no nlsh counterpart", obj, dir, k)
				continue
			}
			got, _ := ourField(st, ours)
			checkField(t, obj, "stats64."+dir+"."+k, got, want)
		}
	}
}

// TestBridgePortOracle compares the bridge ports of an AF_BRIDGE link
// dump — IFLA_PROTINFO holding the port's settings — with bridge -j link.
func TestBridgePortOracle(t *testing.T) {
	ns := linkScenario(t)
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.Link, schema.Fields{"family": unix.AF_BRIDGE}) {
		ours[route.LinkOf(v).Name()] = v
	}
	theirs := ipJSON(t, ns, "bridge", "link", "show")
	if len(theirs) == 0 {
		t.Fatal("bridge -j link lists no ports")
	}
	for _, port := range theirs {
		name := port["ifname"].(string)
		v := ours[name]
		if v == nil {
			t.Errorf("bridge port %s: bridge lists it, nlsh does not", name)
			continue
		}
		pi := field(v, "protinfo")
		if pi == nil {
			t.Errorf("bridge port %s: no protinfo", name)
			continue
		}
		for _, k := range []string{"state", "priority", "cost"} {
			got, _ := ourField(pi, k)
			checkField(t, "bridge port "+name, k, got, port[k])
		}
	}
}
