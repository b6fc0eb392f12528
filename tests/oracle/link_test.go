package oracle

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// linkScenario builds every kind of link the test kernel can create, with
// settings away from their defaults where ip can show them, and a veth
// pair that spans two namespaces.
func linkScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	other := nstest.New(t)
	// No IPv6 autoconfiguration traffic: counters must hold still between
	// our dump and ip's.
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "add", "br0", "type", "bridge", "forward_delay", "500", "group_fwd_mask", "0x8",
		"mcast_snooping", "0", "ageing_time", "20000")
	ns.Run("ip", "link", "set", "v0", "master", "br0")
	ns.Run("ip", "link", "set", "v0", "type", "bridge_slave", "cost", "7", "priority", "9", "hairpin", "on",
		"group_fwd_mask", "0x4008", "learning", "off")
	ns.Run("ip", "link", "set", "br0", "up")
	ns.Run("ip", "link", "set", "v0", "up")
	ns.Run("ip", "link", "set", "v1", "up", "mtu", "1400")
	ns.Run("ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", "10.0.0.1",
		"remote", "10.0.0.2", "dev", "v1", "ttl", "64", "ageing", "120", "srcport", "4000", "5000")
	ns.Run("ip", "link", "add", "vx1", "type", "vxlan", "id", "43", "group", "239.1.1.1", "dev", "v1",
		"dstport", "4790", "nolearning", "df", "set", "noudpcsum")
	ns.Run("ip", "link", "add", "mv0", "link", "v1", "type", "macvlan", "mode", "bridge")
	ns.Run("ip", "link", "add", "mvt0", "link", "v1", "type", "macvtap", "mode", "vepa")
	ns.Run("ip", "link", "add", "ifb0", "type", "ifb")
	ns.Run("ip", "link", "set", "ifb0", "group", "5", "txqlen", "77")
	ns.Run("ip", "tuntap", "add", "tap0", "mode", "tap", "multi_queue")
	ns.Run("ip", "tuntap", "add", "tun0", "mode", "tun")
	ns.Run("ip", "link", "set", "tun0", "up") // NO-CARRIER: up, no reader
	ns.Run("ip", "link", "add", "d0", "type", "veth", "peer", "d1")
	ns.Run("ip", "link", "set", "d0", "up") // M-DOWN: its peer d1 is down
	ns.Run("ip", "link", "property", "add", "dev", "v1", "altname", "second-name", "altname", "third-name")
	ns.Run("ip", "link", "set", "v1", "alias", "the peer")
	ns.Run("ip", "link", "set", "mv0", "address", "02:00:00:00:00:42")
	ns.Run("ip", "link", "set", "vx0", "protodown", "on")
	ns.Run("ip", "link", "set", "vx0", "protodown_reason", "3", "on")
	ns.Run("ip", "link", "set", "mv0", "protodown", "on")
	// A pair whose peer lives elsewhere: ip prints link_netnsid and
	// link_index instead of the peer's name.
	ns.Run("ip", "link", "add", "xv0", "type", "veth", "peer", "xv1", "netns", other.Name)
	return ns
}

// ipFlagsDerived are flags ip prints that are not ifi_flags bits: it works
// them out from other state. linkFlags checks them.
var ipFlagsDerived = map[string]bool{"M-DOWN": true, "NO-CARRIER": true}

// ipFlagsHidden are ifi_flags bits ip never prints.
var ipFlagsHidden = map[string]bool{"RUNNING": true}

// linkSkip are the fields of ip -j link that TestLinkOracle checks by hand,
// because ip derives them from something else.
var linkSkip = []string{"flags", "link", "link_index", "master", "linkinfo", "stats64", "altnames",
	"proto_down", "proto_down_reason", "group"}

func TestLinkOracle(t *testing.T) {
	ns := linkScenario(t)
	ours := map[string]*schema.View{}
	byIndex := map[float64]*schema.View{}
	for _, v := range dump(t, ns, route.Link, nil) {
		l := route.LinkOf(v)
		ours[l.Name()] = v
		byIndex[float64(l.Index())] = v
	}
	seen := map[string]bool{}
	for _, args := range [][]string{{"link"}, {"-d", "link"}, {"-s", "link"}, {"-s", "-s", "link"}} {
		for _, theirs := range ipJSON(t, ns, "ip", args...) {
			name := theirs["ifname"].(string)
			v := ours[name]
			if v == nil {
				t.Errorf("link %s: ip lists it, nlsh does not", name)
				continue
			}
			seen[name] = true
			obj := fmt.Sprintf("link %s (ip %s)", name, strings.Join(args, " "))
			compareFields(t, obj, v, theirs, nil, linkSkip...)
			compareLinkDerived(t, obj, v, theirs, byIndex)
			if li, ok := theirs["linkinfo"].(map[string]any); ok {
				compareLinkinfo(t, obj, v, li, byIndex)
			}
			if st, ok := theirs["stats64"].(map[string]any); ok {
				compareStats64(t, obj, v, st)
			}
		}
	}
	for _, want := range []string{"lo", "v0", "v1", "br0", "vx0", "vx1", "mv0", "mvt0", "ifb0", "tap0", "tun0", "xv0", "d0"} {
		if !seen[want] {
			t.Errorf("link %s: not compared", want)
		}
	}
}

// compareLinkDerived checks the top-level fields ip works out from ours.
func compareLinkDerived(t *testing.T, obj string, v *schema.View, theirs map[string]any, byIndex map[float64]*schema.View) {
	t.Helper()
	l := route.LinkOf(v)
	// ip names the underlying link and the master; a link in another
	// namespace it gives by index.
	for _, f := range []string{"link", "master"} {
		want, ok := theirs[f]
		got, has := ourField(v, f)
		switch {
		case !ok && f == "link" && has && theirs["link_index"] != nil:
			checkField(t, obj, "link_index", got, theirs["link_index"])
			if _, ok := ourField(v, "link_netnsid"); !ok {
				t.Errorf("%s: ip prints link_index, nlsh has no link_netnsid", obj)
			}
		case !ok:
			if has && got != float64(l.Index()) && f == "master" {
				t.Errorf("%s: nlsh has %s %v, ip prints none", obj, f, got)
			}
		case want == nil: // "link": null for IFLA_LINK 0
			checkField(t, obj, f, got, float64(0))
		default:
			peer := byIndex[got.(float64)]
			if peer == nil {
				t.Errorf("%s: field %s: nlsh's index %v names no link", obj, f, got)
				continue
			}
			checkField(t, obj, f, route.LinkOf(peer).Name(), want)
		}
	}

	// Flags: ip hides RUNNING and adds M-DOWN (the link below is down) and
	// NO-CARRIER (up but not running).
	var ourFlags, ipFlags []string
	f, _ := ourField(v, "flags")
	for _, x := range f.([]any) {
		if !ipFlagsHidden[x.(string)] {
			ourFlags = append(ourFlags, x.(string))
		}
	}
	ipDerivedFlags := map[string]bool{}
	for _, x := range theirs["flags"].([]any) {
		if ipFlagsDerived[x.(string)] {
			ipDerivedFlags[x.(string)] = true
		} else {
			ipFlags = append(ipFlags, x.(string))
		}
	}
	sort.Strings(ourFlags)
	sort.Strings(ipFlags)
	checkField(t, obj, "flags", ourFlags, ipFlags)
	noCarrier := l.Flags()&unix.IFF_UP != 0 && l.Flags()&unix.IFF_RUNNING == 0
	checkField(t, obj, "flags NO-CARRIER", noCarrier, ipDerivedFlags["NO-CARRIER"])
	mDown := false
	if peer := byIndex[float64(l.Link())]; peer != nil && l.Link() != 0 && !l.HasNetNSID() {
		mDown = route.LinkOf(peer).Flags()&unix.IFF_UP == 0
	}
	checkField(t, obj, "flags M-DOWN", mDown, ipDerivedFlags["M-DOWN"])

	if want, ok := theirs["altnames"]; ok {
		got, _ := ourField(v, "altnames")
		checkField(t, obj, "altnames", got, want)
	}
	// ip prints proto_down only when on, as true, and the reasons as the
	// numbers of the bits of the reason value.
	pd, _ := ourField(v, "proto_down")
	checkField(t, obj, "proto_down", pd == float64(1), theirs["proto_down"] == true)
	if want, ok := theirs["proto_down_reason"]; ok {
		var bits []any
		if r := field(v, "proto_down_reason"); r != nil {
			val, _ := ourField(r, "value")
			n, _ := val.(float64)
			for i := 0; i < 32; i++ {
				if uint32(n)&(1<<i) != 0 {
					bits = append(bits, strconv.Itoa(i))
				}
			}
		}
		checkField(t, obj, "proto_down_reason", bits, want)
	}
	// ip names groups from /etc/iproute2/group and prints the rest as
	// numbers in a string.
	if want, ok := theirs["group"]; ok {
		got, _ := ourField(v, "group")
		checkField(t, obj, "group", fmt.Sprint(got), want)
	}
}

func compareLinkinfo(t *testing.T, obj string, v *schema.View, theirs map[string]any, byIndex map[float64]*schema.View) {
	t.Helper()
	li := field(v, "linkinfo")
	if li == nil {
		t.Errorf("%s: ip prints linkinfo, nlsh has none", obj)
		return
	}
	for k, want := range theirs {
		switch k {
		case "info_data", "info_slave_data":
			kind := "info_kind"
			if k == "info_slave_data" {
				kind = "info_slave_kind"
			}
			sub := field(li, k)
			if sub == nil {
				t.Errorf("%s: ip prints linkinfo.%s, nlsh has none", obj, k)
				continue
			}
			kv, _ := ourField(li, kind)
			kindName, _ := kv.(string)
			compareKindData(t, obj+" linkinfo."+k, kindName+"/"+k, sub, want.(map[string]any), byIndex)
		default:
			got, ok := ourField(li, k)
			if !ok {
				t.Errorf("%s: field linkinfo.%s: ip prints %#v, nlsh has no such field", obj, k, want)
				continue
			}
			checkField(t, obj, "linkinfo."+k, got, want)
		}
	}
}

// cHex formats a number as C's "%#x" does: 0 without the prefix.
func cHex(n float64) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%#x", uint64(n))
}

// ipKindDerived converts our value of a kind-specific field into what ip
// prints for it, for the fields ip reformats or derives; the key is
// "<kind>/<info_data|info_slave_data>.<ip's field>". It returns the name of
// our field it read too.
var ipKindDerived = map[string]func(v *schema.View, byIndex map[float64]*schema.View) (any, string){
	// Timers are in centiseconds; ip prints seconds. They run on between
	// our dump and ip's, so they compare within a second, or not at all
	// when ours was about to fire.
	"bridge/info_data.hello_timer":               centis("hello_timer"),
	"bridge/info_data.tcn_timer":                 centis("tcn_timer"),
	"bridge/info_data.topology_change_timer":     centis("topology_change_timer"),
	"bridge/info_data.gc_timer":                  centis("gc_timer"),
	"bridge/info_slave_data.hold_timer":          centis("hold_timer"),
	"bridge/info_slave_data.message_age_timer":   centis("message_age_timer"),
	"bridge/info_slave_data.forward_delay_timer": centis("forward_delay_timer"),
	"bridge/info_data.group_fwd_mask":            hexOf("group_fwd_mask"),
	"bridge/info_slave_data.group_fwd_mask":      hexOf("group_fwd_mask"),
	"bridge/info_slave_data.id":                  hexOf("port_id"),
	"bridge/info_slave_data.no":                  hexOf("port_no"),
	"bridge/info_slave_data.group_fwd_mask_str":  fwdMaskStr,
	"bridge/info_slave_data.backup_port":         linkName("backup_port"),
	"bridge/info_data.no_linklocal_learn":        boolOpt("no_linklocal_learn"),
	"bridge/info_data.mcast_vlan_snooping":       boolOpt("mcast_vlan_snooping"),
	"bridge/info_data.mst_enabled":               boolOpt("mst_enabled"),
	"vxlan/info_data.link":                       linkName("link"),
	"vxlan/info_data.remote":                     vxlanPeer("remote", false),
	"vxlan/info_data.group":                      vxlanPeer("group", true),
	"vxlan/info_data.tos":                        hexOf("tos"),
	"vxlan/info_data.label":                      hexOf("label"),
	"macvlan/info_data.flags":                    hexOf("flags"),
	"macvtap/info_data.flags":                    hexOf("flags"),
}

func centis(name string) func(*schema.View, map[float64]*schema.View) (any, string) {
	return func(v *schema.View, _ map[float64]*schema.View) (any, string) {
		got, ok := ourField(v, name)
		if !ok {
			return nil, name
		}
		return approx(got.(float64) / 100), name
	}
}

// approx is a running timer's value, equal to ip's within a second.
type approx float64

func hexOf(name string) func(*schema.View, map[float64]*schema.View) (any, string) {
	return func(v *schema.View, _ map[float64]*schema.View) (any, string) {
		got, ok := ourField(v, name)
		if !ok {
			return nil, name
		}
		return cHex(got.(float64)), name
	}
}

func linkName(name string) func(*schema.View, map[float64]*schema.View) (any, string) {
	return func(v *schema.View, byIndex map[float64]*schema.View) (any, string) {
		got, ok := ourField(v, name)
		if !ok || byIndex[got.(float64)] == nil {
			return nil, name
		}
		return route.LinkOf(byIndex[got.(float64)]).Name(), name
	}
}

// boolOpt reads a bridge boolean option from multi_boolopt, as ip prints
// it: 0 or 1, and only when optmask covers it.
func boolOpt(name string) func(*schema.View, map[float64]*schema.View) (any, string) {
	return func(v *schema.View, _ map[float64]*schema.View) (any, string) {
		bo := field(v, "multi_boolopt")
		if bo == nil {
			return nil, "multi_boolopt"
		}
		val, _ := ourField(bo, "optval")
		mask, _ := ourField(bo, "optmask")
		if !slices.Contains(mask.([]any), any(name)) {
			return nil, "multi_boolopt"
		}
		if slices.Contains(val.([]any), any(name)) {
			return float64(1), "multi_boolopt"
		}
		return float64(0), "multi_boolopt"
	}
}

// vxlanPeer reads IFLA_VXLAN_GROUP, which ip prints as "group" when it is
// a multicast address and as "remote" when not.
func vxlanPeer(ipName string, multicast bool) func(*schema.View, map[float64]*schema.View) (any, string) {
	return func(v *schema.View, _ map[float64]*schema.View) (any, string) {
		got, ok, _ := v.Get("group")
		if !ok {
			return nil, "group"
		}
		a := got.(interface{ IsMulticast() bool })
		if a.IsMulticast() != multicast {
			return nil, "group (as " + ipName + ")"
		}
		return jsonValue(got), "group"
	}
}

// fwdMaskStr spells a bridge port's group_fwd_mask as ip does: the names
// of the bits it knows (stp, lacp, lldp), 0x.. for the others.
func fwdMaskStr(v *schema.View, _ map[float64]*schema.View) (any, string) {
	got, ok := ourField(v, "group_fwd_mask")
	if !ok {
		return nil, "group_fwd_mask"
	}
	known := map[int]string{0: "stp", 2: "lacp", 14: "lldp"}
	var parts []string
	for i := 0; i < 16; i++ {
		if uint16(got.(float64))&(1<<i) != 0 {
			if n, ok := known[i]; ok {
				parts = append(parts, n)
			} else {
				parts = append(parts, fmt.Sprintf("0x%x", 1<<i))
			}
		}
	}
	if len(parts) == 0 {
		return "0x0", "group_fwd_mask"
	}
	return strings.Join(parts, ","), "group_fwd_mask"
}

// compareKindData compares kind-specific data: each field ip prints with
// ours of the same name, or through ipKindDerived. ip prints some u8
// settings as booleans and some as on/off; those compare equal to our 0
// and 1 (or our on/off enum).
func compareKindData(t *testing.T, obj, kind string, v *schema.View, theirs map[string]any, byIndex map[float64]*schema.View) {
	t.Helper()
	for name, want := range theirs {
		var got any
		var ok bool
		if conv := ipKindDerived[kind+"."+name]; conv != nil {
			var ours string
			got, ours = conv(v, byIndex)
			if got == nil {
				t.Errorf("%s: field %s: ip prints %#v, nlsh's %s gives nothing", obj, name, want, ours)
				continue
			}
			if a, isApprox := got.(approx); isApprox {
				// A timer about to fire may have restarted by ip's turn.
				w, _ := want.(float64)
				if (w < float64(a)-1 || w > float64(a)+1) && float64(a) > 1 {
					t.Errorf("%s: field %s: nlsh says %v, iproute2 says %v", obj, name, float64(a), want)
				}
				continue
			}
			checkField(t, obj, name, got, want)
			continue
		}
		got, ok = ourField(v, name)
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
		if m, isMap := want.(map[string]any); isMap {
			if sub := field(v, name); sub != nil {
				compareKindData(t, obj+"."+name, kind+"."+name, sub, m, byIndex)
				continue
			}
		}
		checkField(t, obj, name, got, want)
	}
}

// ipStats64 maps ip's rx/tx nesting of stats64 onto struct
// rtnl_link_stats64's field names.
var ipStats64 = map[string]string{
	"rx.bytes": "rx_bytes", "rx.packets": "rx_packets", "rx.errors": "rx_errors", "rx.dropped": "rx_dropped",
	"rx.over_errors": "rx_over_errors", "rx.multicast": "multicast", "rx.length_errors": "rx_length_errors",
	"rx.crc_errors": "rx_crc_errors", "rx.frame_errors": "rx_frame_errors", "rx.fifo_errors": "rx_fifo_errors",
	"rx.missed_errors": "rx_missed_errors", "rx.nohandler": "rx_nohandler", "rx.compressed": "rx_compressed",
	"rx.otherhost_dropped": "rx_otherhost_dropped",
	"tx.bytes":             "tx_bytes", "tx.packets": "tx_packets", "tx.errors": "tx_errors", "tx.dropped": "tx_dropped",
	"tx.carrier_errors": "tx_carrier_errors", "tx.collisions": "collisions", "tx.aborted_errors": "tx_aborted_errors",
	"tx.fifo_errors": "tx_fifo_errors", "tx.window_errors": "tx_window_errors",
	"tx.heartbeat_errors": "tx_heartbeat_errors", "tx.compressed": "tx_compressed",
}

func compareStats64(t *testing.T, obj string, v *schema.View, theirs map[string]any) {
	t.Helper()
	st := field(v, "stats64")
	if st == nil {
		t.Errorf("%s: ip prints stats64, nlsh has none", obj)
		return
	}
	for dir, m := range theirs {
		for k, want := range m.(map[string]any) {
			if dir+"."+k == "tx.carrier_changes" { // IFLA_CARRIER_CHANGES
				got, _ := ourField(v, "carrier_changes")
				checkField(t, obj, "stats64.tx.carrier_changes", got, want)
				continue
			}
			ours, ok := ipStats64[dir+"."+k]
			if !ok {
				t.Errorf("%s: stats64.%s.%s has no nlsh counterpart", obj, dir, k)
				continue
			}
			got, _ := ourField(st, ours)
			checkField(t, obj, "stats64."+dir+"."+k, got, want)
		}
	}
}

// TestLinkDevconfOracle checks af_spec's devconf arrays, entry by entry,
// against the sysctls of the same names in /proc/sys/net/ipv{4,6}/conf.
func TestLinkDevconfOracle(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("sysctl", "-qw", "net.ipv4.conf.v0.forwarding=1", "net.ipv4.conf.v0.rp_filter=2",
		"net.ipv4.conf.v0.arp_ignore=3", "net.ipv6.conf.v0.hop_limit=33", "net.ipv6.conf.v0.accept_ra=2",
		"net.ipv6.conf.v0.mtu=1300", "net.ipv6.conf.v0.addr_gen_mode=1")
	var v0 *schema.View
	for _, v := range dump(t, ns, route.Link, nil) {
		if route.LinkOf(v).Name() == "v0" {
			v0 = v
		}
	}
	if v0 == nil {
		t.Fatal("no v0 in the dump")
	}
	// Entries the kernel reports in other units than its sysctl, or
	// that have no sysctl.
	units := map[string]float64{
		"ipv6/router_solicitation_interval": 1000, "ipv6/router_solicitation_delay": 1000,
		"ipv6/router_solicitation_max_interval": 1000, "ipv6/rtr_solicit_max_interval": 1000,
		"ipv6/router_probe_interval": 1000,
	}
	noSysctl := map[string]bool{"ipv4/tag": true, "ipv6/stable_secret": true, "ipv4/mc_forwarding": false}
	for _, c := range []struct{ dir, path string }{{"ipv4", "inet"}, {"ipv6", "inet6"}} {
		conf := field(v0, "af_spec", c.path, "conf")
		if conf == nil {
			t.Fatalf("v0: no af_spec.%s.conf", c.path)
		}
		out := ns.Run("sh", "-c", fmt.Sprintf("cd /proc/sys/net/%s/conf/v0 && grep -s . *; true", c.dir))
		sysctl := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			k, val, _ := strings.Cut(line, ":")
			sysctl[k] = val
		}
		n := 0
		for _, f := range conf.Struct().Fields {
			key := c.dir + "/" + f.Name
			want, ok := sysctl[f.Name]
			if !ok {
				if !noSysctl[key] {
					t.Errorf("v0 af_spec.%s.conf.%s: no sysctl of that name", c.path, f.Name)
				}
				continue
			}
			got, _ := ourField(conf, f.Name)
			g, _ := got.(float64)
			if u := units[key]; u != 0 {
				g /= u
			}
			w, err := strconv.ParseFloat(want, 64)
			if err != nil {
				t.Errorf("v0 sysctl %s: %q", key, want)
				continue
			}
			checkField(t, "v0 af_spec."+c.path+".conf", f.Name, g, w)
			n++
		}
		if n < 20 {
			t.Errorf("v0 af_spec.%s.conf: only %d entries compared", c.path, n)
		}
	}
	mode, _ := ourField(v0, "inet6_addr_gen_mode")
	checkField(t, "v0", "inet6_addr_gen_mode", mode, "none")
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

// linkConn is a route netlink socket in ns that sends link requests from
// our encoding.
type linkConn struct {
	t  *testing.T
	ns *nstest.NS
	c  *netlink.Conn
}

func newLinkConn(t *testing.T, ns *nstest.NS) *linkConn {
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &linkConn{t: t, ns: ns, c: c}
}

// do sends one link request and fails the test on a kernel error.
func (lc *linkConn) do(typ, flags uint16, f schema.Fields) {
	lc.t.Helper()
	var e packet.Encoder
	if err := route.Link.Message.Encode(&e, typ, flags, f); err != nil {
		lc.t.Fatalf("encode %v: %v", f, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := lc.c.Execute(ctx, e.Bytes()); err != nil {
		lc.t.Fatalf("link request %v: %v", f, err)
	}
}

// show returns ip -j -d link's view of one link, or nil when it is gone.
func (lc *linkConn) show(ns *nstest.NS, name string) map[string]any {
	lc.t.Helper()
	out, err := ns.Try("ip", "-j", "-d", "link", "show", "dev", name)
	if err != nil {
		return nil
	}
	objs := ipJSONText(lc.t, out)
	if len(objs) != 1 {
		return nil
	}
	return objs[0]
}

func (lc *linkConn) index(name string) int {
	lc.t.Helper()
	l := lc.show(lc.ns, name)
	if l == nil {
		lc.t.Fatalf("link %s does not exist", name)
	}
	return int(l["ifindex"].(float64))
}

// expect checks fields of ip -j -d link's view of a link; a dotted path
// reaches into linkinfo.
func (lc *linkConn) expect(ns *nstest.NS, name string, want map[string]any) {
	lc.t.Helper()
	l := lc.show(ns, name)
	if l == nil {
		lc.t.Errorf("link %s: ip does not list it", name)
		return
	}
	for path, w := range want {
		var cur any = l
		for _, p := range strings.Split(path, ".") {
			m, _ := cur.(map[string]any)
			cur = m[p]
		}
		if flag, isFlag := w.(flagState); isFlag {
			has := slices.Contains(l["flags"].([]any), any(flag.name))
			checkField(lc.t, "link "+name, "flags "+flag.name, has, flag.set)
			continue
		}
		if !reflect.DeepEqual(cur, w) {
			lc.t.Errorf("link %s: field %s: ip shows %#v, want %#v", name, path, cur, w)
		}
	}
}

// flagState expects a flag set or clear in expect.
type flagState struct {
	name string
	set  bool
}

func ipJSONText(t *testing.T, out string) []map[string]any {
	t.Helper()
	var objs []map[string]any
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatalf("ip -j: %v\n%s", err, out)
	}
	return objs
}

// TestLinkRequests creates, changes, moves and deletes links with
// RTM_NEWLINK/RTM_SETLINK/RTM_DELLINK requests from our encoding, and
// checks each step with ip -j -d link.
func TestLinkRequests(t *testing.T) {
	ns := nstest.New(t)
	other := nstest.New(t)
	lc := newLinkConn(t, ns)
	create := uint16(unix.NLM_F_CREATE | unix.NLM_F_EXCL)

	// A veth pair, the peer named and configured through VETH_INFO_PEER.
	lc.do(unix.RTM_NEWLINK, create, schema.Fields{"ifname": "a0", "txqlen": 300,
		"linkinfo": schema.Fields{"info_kind": "veth", "info_data": schema.Fields{
			"peer": schema.Fields{"ifname": "a1", "mtu": 1400, "address": "02:00:00:00:00:a1"}}}})
	lc.expect(ns, "a0", map[string]any{"linkinfo.info_kind": "veth", "link": "a1", "txqlen": float64(300)})
	lc.expect(ns, "a1", map[string]any{"link": "a0", "mtu": float64(1400), "address": "02:00:00:00:00:a1"})

	// A bridge with settings.
	lc.do(unix.RTM_NEWLINK, create, schema.Fields{"ifname": "br0",
		"linkinfo": schema.Fields{"info_kind": "bridge", "info_data": schema.Fields{
			"forward_delay": 800, "stp_state": 1, "priority": 4096,
			"multi_boolopt": schema.Fields{"optval": []string{"no_linklocal_learn"}, "optmask": []string{"no_linklocal_learn"}}}}})
	lc.expect(ns, "br0", map[string]any{"linkinfo.info_kind": "bridge",
		"linkinfo.info_data.forward_delay": float64(800), "linkinfo.info_data.stp_state": float64(1),
		"linkinfo.info_data.priority":           float64(4096),
		"linkinfo.info_data.no_linklocal_learn": float64(1)})

	a1 := lc.index("a1")
	// A vxlan on a1.
	lc.do(unix.RTM_NEWLINK, create, schema.Fields{"ifname": "vx0",
		"linkinfo": schema.Fields{"info_kind": "vxlan", "info_data": schema.Fields{
			"id": 4242, "link": a1, "port": 4789, "local": "10.1.1.1", "group": "239.0.0.9", "ttl": 20,
			"df": "inherit", "port_range": schema.Fields{"low": 1000, "high": 2000}}}})
	lc.expect(ns, "vx0", map[string]any{"linkinfo.info_kind": "vxlan", "linkinfo.info_data.id": float64(4242),
		"linkinfo.info_data.link": "a1", "linkinfo.info_data.port": float64(4789),
		"linkinfo.info_data.local": "10.1.1.1", "linkinfo.info_data.group": "239.0.0.9",
		"linkinfo.info_data.ttl": float64(20), "linkinfo.info_data.df": "inherit",
		"linkinfo.info_data.port_range.low": float64(1000), "linkinfo.info_data.port_range.high": float64(2000)})

	// A macvlan on a1 and an ifb.
	lc.do(unix.RTM_NEWLINK, create, schema.Fields{"ifname": "mv0", "link": a1,
		"linkinfo": schema.Fields{"info_kind": "macvlan", "info_data": schema.Fields{"mode": "private"}}})
	lc.expect(ns, "mv0", map[string]any{"link": "a1", "linkinfo.info_kind": "macvlan", "linkinfo.info_data.mode": "private"})
	lc.do(unix.RTM_NEWLINK, create, schema.Fields{"ifname": "ifb0", "linkinfo": schema.Fields{"info_kind": "ifb"}})
	lc.expect(ns, "ifb0", map[string]any{"linkinfo.info_kind": "ifb"})

	// Change a link: MTU, address, name (while down), then up and down
	// through flags and the change mask.
	a0 := lc.index("a0")
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifindex": a0, "mtu": 1280, "address": "02:00:00:00:00:a0"})
	lc.expect(ns, "a0", map[string]any{"mtu": float64(1280), "address": "02:00:00:00:00:a0"})
	lc.do(unix.RTM_SETLINK, 0, schema.Fields{"ifindex": a0, "ifname": "veth-a0", "ifalias": "renamed"})
	lc.expect(ns, "veth-a0", map[string]any{"ifindex": float64(a0), "ifalias": "renamed"})
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifindex": a0, "flags": []string{"UP"}, "change": []string{"UP"}})
	lc.expect(ns, "veth-a0", map[string]any{"UP": flagState{"UP", true}})
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifindex": a0, "flags": []string{}, "change": []string{"UP"}})
	lc.expect(ns, "veth-a0", map[string]any{"UP": flagState{"UP", false}})

	// Enslave to the bridge, with a port setting, then release.
	br0 := lc.index("br0")
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifindex": a0, "master": br0})
	lc.expect(ns, "veth-a0", map[string]any{"master": "br0", "linkinfo.info_slave_kind": "bridge"})
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifindex": a0, "linkinfo": schema.Fields{
		"info_slave_kind": "bridge", "info_slave_data": schema.Fields{"cost": 33, "priority": 5, "learning": "off"}}})
	lc.expect(ns, "veth-a0", map[string]any{"linkinfo.info_slave_data.cost": float64(33),
		"linkinfo.info_slave_data.priority": float64(5), "linkinfo.info_slave_data.learning": false})
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifindex": a0, "master": 0})
	lc.expect(ns, "veth-a0", map[string]any{"master": nil})

	// Move the ifb, named rather than indexed, into the other namespace
	// by a file descriptor of it.
	f, err := os.Open(other.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lc.do(unix.RTM_NEWLINK, 0, schema.Fields{"ifname": "ifb0", "net_ns_fd": int(f.Fd())})
	if lc.show(ns, "ifb0") != nil {
		t.Errorf("ifb0 is still in the first namespace")
	}
	lc.expect(other, "ifb0", map[string]any{"linkinfo.info_kind": "ifb"})

	// Delete by index and by name.
	lc.do(unix.RTM_DELLINK, 0, schema.Fields{"ifindex": lc.index("vx0")})
	lc.do(unix.RTM_DELLINK, 0, schema.Fields{"ifname": "mv0"})
	lc.do(unix.RTM_DELLINK, 0, schema.Fields{"ifname": "veth-a0"})
	for _, name := range []string{"vx0", "mv0", "veth-a0", "a1"} {
		if lc.show(ns, name) != nil {
			t.Errorf("link %s: still there after delete", name)
		}
	}
	lc.expect(ns, "br0", map[string]any{"ifname": "br0"})
}
