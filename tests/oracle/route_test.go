package oracle

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func routeScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	for _, cmd := range [][]string{
		{"link", "add", "v0", "type", "veth", "peer", "v1"},
		{"link", "add", "v2", "type", "veth", "peer", "v3"},
		{"link", "set", "v0", "up"}, {"link", "set", "v1", "up"},
		{"link", "set", "v2", "up"}, {"link", "set", "v3", "up"},
		{"addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"addr", "add", "10.0.1.1/24", "dev", "v2"},
		{"-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad"},
		{"-6", "addr", "add", "2001:db8:1::1/64", "dev", "v2", "nodad"},
		{"route", "add", "10.9.0.0/24", "nexthop", "via", "10.0.0.2", "dev", "v0", "weight", "2", "nexthop", "via", "10.0.1.2", "dev", "v2"},
		{"route", "add", "10.8.0.0/24", "via", "10.0.0.2", "mtu", "1400", "advmss", "1300", "initcwnd", "10", "table", "100", "metric", "5"},
		{"route", "add", "10.8.1.0/24", "via", "10.0.0.2", "table", "200", "proto", "bird"},
		{"route", "add", "blackhole", "10.7.0.0/24"},
		{"route", "add", "unreachable", "10.7.1.0/24", "table", "100"},
		{"route", "add", "prohibit", "10.7.2.0/24"},
		{"route", "add", "throw", "10.7.3.0/24", "table", "200"},
		{"route", "add", "10.6.0.0/24", "via", "10.0.0.9", "dev", "v0", "onlink"},
		{"-6", "route", "add", "2001:db8:9::/64", "encap", "seg6", "mode", "encap", "segs", "2001:db8::2,2001:db8::3", "dev", "v0"},
		{"-6", "route", "add", "2001:db8:8::/64", "dev", "v0", "pref", "high"},
		{"-6", "route", "add", "2001:db8:7::/64", "nexthop", "via", "2001:db8::2", "dev", "v0", "weight", "3", "nexthop", "via", "2001:db8:1::2", "dev", "v2"},
		{"nexthop", "add", "id", "7", "via", "10.0.0.2", "dev", "v0"},
		{"route", "add", "10.5.0.0/24", "nhid", "7"},
	} {
		ns.Run("ip", cmd...)
	}
	return ns
}

func linkNames(t *testing.T, ns *nstest.NS) map[float64]string {
	names := map[float64]string{}
	for _, v := range dump(t, ns, route.Link, nil) {
		l := route.LinkOf(v)
		names[float64(l.Index())] = l.Name()
	}
	return names
}

func routeKey(v *schema.View, names map[float64]string) string {
	r := route.RouteOf(v)
	return fmt.Sprintf("%d %s %d %d %s", r.Family(), schema.FormatPrefix(r.Dst()), r.Table(), r.Priority(), names[float64(r.OIF())])
}

func TestRouteOracle(t *testing.T) {
	ns := routeScenario(t)
	names := linkNames(t, ns)
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.Route, nil) {
		ours[routeKey(v, names)] = v
	}
	tableNo := map[string]float64{"main": 254, "local": 255, "default": 253}
	n := 0
	for _, fam := range []struct {
		flag   string
		family int
	}{{"-4", unix.AF_INET}, {"-6", unix.AF_INET6}} {
		for _, detail := range [][]string{nil, {"-d"}} {
			args := append(append([]string{fam.flag}, detail...), "route", "show", "table", "all")
			for _, theirs := range ipJSON(t, ns, "ip", args...) {
				if theirs["type"] == "multicast" {
					continue // IPv6 multicast routes are listed by ip, as ours are
				}
				dst, _ := theirs["dst"].(string)
				if dst == "default" {
					dst = map[int]string{unix.AF_INET: "0.0.0.0/0", unix.AF_INET6: "::/0"}[fam.family]
				}
				table := float64(254)
				if s, ok := theirs["table"].(string); ok {
					if no, named := tableNo[s]; named {
						table = no
					} else {
						fmt.Sscan(s, &table)
					}
				}
				metric, _ := theirs["metric"].(float64)
				dev, _ := theirs["dev"].(string)
				key := fmt.Sprintf("%d %s %v %v %s", fam.family, dst, table, metric, dev)
				v := ours[key]
				if v == nil {
					t.Errorf("route %s: ip lists it, nlsh does not", key)
					continue
				}
				n++
				obj := fmt.Sprintf("route %s (ip %v)", key, args)
				compareRoute(t, obj, v, theirs, names)
			}
		}
	}
	if n < 30 {
		t.Errorf("compared %d routes, want at least 30", n)
	}
}

// compareRoute compares one route. ip derives a few fields: dev is the
// output interface's name, the table is printed as a name or a number in
// text, expires is computed from cacheinfo, metrics is a list of one
// object, and seg6 encap fields sit at the top level.
func compareRoute(t *testing.T, obj string, v *schema.View, theirs map[string]any, names map[float64]string) {
	t.Helper()
	skip := []string{"dev", "table", "dst", "metrics", "nexthops", "expires", "mode", "segs", "cache", "flags", "nh_info", "from"}
	compareFields(t, obj, v, theirs, nil, skip...)
	if info, ok := theirs["nh_info"].(map[string]any); ok {
		// ip looks the nexthop object up; the route itself carries its id.
		got, _ := ourField(v, "nhid")
		checkField(t, obj, "nh_info.id", got, info["id"])
	}
	if want, ok := theirs["from"].(string); ok {
		got, _ := ourField(v, "from")
		s, _ := got.(string)
		if !strings.Contains(want, "/") {
			s, _, _ = strings.Cut(s, "/")
		}
		checkField(t, obj, "from", s, want)
	}
	// ip prints RTM_F_CLONED as a "cache" entry, and the other RTM_F_*
	// request flags not at all; its flags list is the RTNH_F_* bits.
	if _, ok := theirs["cache"]; ok {
		got, _ := ourField(v, "flags")
		if !slices.Contains(got.([]any), any("cloned")) {
			t.Errorf("%s: ip prints cache, nlsh lacks the cloned flag", obj)
		}
	}
	if want, ok := theirs["dev"]; ok {
		oif, _ := ourField(v, "oif")
		checkField(t, obj, "dev", names[toF(oif)], want)
	}
	if want, ok := theirs["table"]; ok {
		got, _ := ourField(v, "table")
		checkField(t, obj, "table", fmt.Sprint(got), want)
	}
	if want, ok := theirs["dst"].(string); ok && want != "default" {
		got, _ := ourField(v, "dst")
		checkField(t, obj, "dst", got, want)
	}
	if want, ok := theirs["flags"].([]any); ok {
		got, _ := ourField(v, "flags")
		var hop []any
		for _, f := range got.([]any) {
			if _, isHopFlag := route.NexthopFlags.Value(f.(string)); isHopFlag || strings.HasPrefix(f.(string), "rt_") {
				hop = append(hop, f)
			}
		}
		if hop == nil {
			hop = []any{}
		}
		checkField(t, obj, "flags", hop, want)
	}
	if want, ok := theirs["metrics"].([]any); ok {
		m, ok, _ := v.Get("metrics")
		if !ok {
			t.Errorf("%s: ip prints metrics, nlsh has none", obj)
		} else {
			compareFields(t, obj+" metrics", m.(*schema.View), want[0].(map[string]any), nil)
		}
	}
	if want, ok := theirs["nexthops"].([]any); ok {
		hops, ok, err := v.Get("nexthops")
		if !ok || err != nil {
			t.Errorf("%s: ip prints nexthops, nlsh has none (%v)", obj, err)
		} else if len(hops.([]any)) != len(want) {
			t.Errorf("%s: %d nexthops, ip prints %d", obj, len(hops.([]any)), len(want))
		} else {
			for i, h := range hops.([]any) {
				hop := h.(*schema.View)
				w := want[i].(map[string]any)
				compareFields(t, fmt.Sprintf("%s nexthop %d", obj, i), hop, w, nil, "dev")
				idx, _ := ourField(hop, "ifindex")
				checkField(t, obj, fmt.Sprintf("nexthops[%d].dev", i), names[toF(idx)], w["dev"])
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
	if _, ok := theirs["expires"]; ok {
		ci := field(v, "cacheinfo")
		if ci == nil {
			t.Errorf("%s: ip prints expires, nlsh has no cacheinfo", obj)
		}
	}
}

func toF(v any) float64 {
	f, _ := v.(float64)
	return f
}

// field walks nested views by name.
func field(v *schema.View, path ...string) *schema.View {
	for _, p := range path {
		x, ok, _ := v.Get(p)
		if !ok {
			return nil
		}
		v, ok = x.(*schema.View)
		if !ok {
			return nil
		}
	}
	return v
}

func TestRouteGetOracle(t *testing.T) {
	ns := routeScenario(t)
	names := linkNames(t, ns)
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client := objects.New(c, route.Family)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, dst := range []string{"10.9.0.5", "10.0.0.7", "10.6.0.1", "2001:db8:8::1"} {
		fam := unix.AF_INET
		if len(dst) > 10 {
			fam = unix.AF_INET6
		}
		v, err := client.Get(ctx, route.Route, schema.Fields{"family": fam, "dst": dst})
		if err != nil {
			t.Fatalf("get %s: %v", dst, err)
		}
		theirs := ipJSON(t, ns, "ip", "route", "get", dst)
		if len(theirs) != 1 {
			t.Fatalf("ip route get %s printed %d routes", dst, len(theirs))
		}
		compareRoute(t, "route get "+dst, v, theirs[0], names)
	}
}

// TestRouteLifecycle adds, changes, appends and deletes routes through the
// object client, with encoding from the schema alone.
func TestRouteLifecycle(t *testing.T) {
	ns := routeScenario(t)
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	client := objects.New(c, route.Family)
	ctx := context.Background()
	idx := map[string]int64{}
	for k, v := range linkNames(t, ns) {
		idx[v] = int64(k)
	}
	base := schema.Fields{"family": unix.AF_INET, "table": 300, "protocol": "static", "scope": "global", "type": "unicast"}
	with := func(extra schema.Fields) schema.Fields {
		f := schema.Fields{}
		for k, v := range base {
			f[k] = v
		}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	steps := []struct {
		op     objects.Op
		fields schema.Fields
		want   string // ip -j route show table 300, summarised
	}{
		{objects.Add, with(schema.Fields{"dst": "10.40.0.0/16", "gateway": "10.0.0.2", "oif": idx["v0"], "metrics": schema.Fields{"mtu": 1300}}), "10.40.0.0/16 via 10.0.0.2 dev v0"},
		{objects.Replace, with(schema.Fields{"dst": "10.40.0.0/16", "gateway": "10.0.1.2", "oif": idx["v2"]}), "10.40.0.0/16 via 10.0.1.2 dev v2"},
		{objects.Add, with(schema.Fields{"dst": "10.41.0.0/16", "nexthops": []any{
			schema.Fields{"gateway": "10.0.0.2", "ifindex": idx["v0"], "weight": int64(3)},
			schema.Fields{"gateway": "10.0.1.2", "ifindex": idx["v2"]},
		}}), "10.40.0.0/16 via 10.0.1.2 dev v2; 10.41.0.0/16 nexthops 10.0.0.2/v0/3 10.0.1.2/v2/1"},
		{objects.Delete, with(schema.Fields{"dst": "10.40.0.0/16"}), "10.41.0.0/16 nexthops 10.0.0.2/v0/3 10.0.1.2/v2/1"},
	}
	for i, s := range steps {
		if err := client.Do(ctx, route.Route, s.op, s.fields); err != nil {
			t.Fatalf("step %d (%s): %v", i, s.op, err)
		}
		var parts []string
		for _, r := range ipJSON(t, ns, "ip", "route", "show", "table", "300") {
			p := fmt.Sprint(r["dst"])
			if gw, ok := r["gateway"]; ok {
				p += fmt.Sprintf(" via %v dev %v", gw, r["dev"])
			}
			if hops, ok := r["nexthops"].([]any); ok {
				p += " nexthops"
				for _, h := range hops {
					hm := h.(map[string]any)
					p += fmt.Sprintf(" %v/%v/%v", hm["gateway"], hm["dev"], hm["weight"])
				}
			}
			parts = append(parts, p)
		}
		got := ""
		for j, p := range parts {
			if j > 0 {
				got += "; "
			}
			got += p
		}
		if got != s.want {
			t.Errorf("after step %d (%s): ip shows %q, want %q", i, s.op, got, s.want)
		}
	}
}
