package oracle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tc"
)

// tcScenario builds every qdisc kind this kernel has, an htb class, and
// u32 filters with a mirred action. IPv6 is off in the namespace: a device
// coming up would otherwise send router solicitations and MLD reports,
// which change the qdiscs' counters between our dump and tc's.
func tcScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	for _, cmd := range [][]string{
		{"sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"},
		{"sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"},
		{"ip", "link", "add", "v0", "type", "veth", "peer", "v1"},
		{"ip", "link", "add", "v2", "type", "veth", "peer", "v3"},
		{"ip", "link", "set", "v0", "up"}, {"ip", "link", "set", "v1", "up"},
		{"ip", "link", "set", "v2", "up"}, {"ip", "link", "set", "v3", "up"},
		{"tc", "qdisc", "add", "dev", "v0", "root", "handle", "1:", "htb", "default", "10"},
		{"tc", "class", "add", "dev", "v0", "parent", "1:", "classid", "1:10", "htb", "rate", "10mbit", "ceil", "20mbit"},
		{"tc", "qdisc", "add", "dev", "v0", "parent", "1:10", "handle", "10:", "tbf", "rate", "1mbit", "burst", "10k", "latency", "50ms"},
		{"tc", "qdisc", "add", "dev", "v1", "root", "pfifo", "limit", "100"},
		{"tc", "qdisc", "add", "dev", "v2", "root", "bfifo", "limit", "30000"},
		{"tc", "qdisc", "add", "dev", "v0", "clsact"},
		{"tc", "qdisc", "add", "dev", "v1", "ingress"},
		{"tc", "filter", "add", "dev", "v0", "ingress", "prio", "10", "protocol", "ip", "u32", "match", "ip", "dst", "10.0.0.1/32", "action", "mirred", "egress", "redirect", "dev", "v1"},
		{"tc", "filter", "add", "dev", "v0", "parent", "1:", "prio", "5", "protocol", "ip", "u32", "match", "ip", "src", "10.0.0.0/24", "classid", "1:10"},
	} {
		ns.Run(cmd[0], cmd[1:]...)
	}
	return ns
}

func TestQdiscOracle(t *testing.T) {
	ns := tcScenario(t)
	names := linkNames(t, ns)
	ours := map[string]*schema.View{}
	for _, v := range dumpFamily(t, ns, tc.Family, tc.Qdisc, nil) {
		idx, _ := ourField(v, "ifindex")
		ours[names[toF(idx)]+" "+str(v, "handle")] = v
	}
	n := 0
	for _, theirs := range ipJSON(t, ns, "tc", "-s", "qdisc", "show") {
		key := fmt.Sprintf("%v %v", theirs["dev"], theirs["handle"])
		v := ours[key]
		if v == nil {
			if theirs["kind"] == "noqueue" {
				continue // tc lists the noqueue default of a device; the kernel does not dump it
			}
			t.Errorf("qdisc %s: tc lists it, nlsh does not", key)
			continue
		}
		n++
		obj := "qdisc " + key
		checkField(t, obj, "kind", str(v, "kind"), theirs["kind"])
		if _, root := theirs["root"]; root {
			checkField(t, obj, "parent", str(v, "parent"), "root")
		} else if p, ok := theirs["parent"]; ok {
			checkField(t, obj, "parent", str(v, "parent"), p)
		}
		// Statistics: tc prints those of TCA_STATS2, flattened.
		q, b := field(v, "stats2", "queue"), field(v, "stats2", "basic")
		for k, src := range map[string]*schema.View{"bytes": b, "packets": b, "drops": q, "overlimits": q, "requeues": q, "backlog": q, "qlen": q} {
			if want, ok := theirs[k]; ok {
				if src == nil {
					t.Errorf("%s: tc prints %s, nlsh has no stats2", obj, k)
					continue
				}
				got, _ := ourField(src, k)
				checkField(t, obj, k, got, want)
			}
		}
		opts, _ := theirs["options"].(map[string]any)
		switch theirs["kind"] {
		case "pfifo", "bfifo":
			got, _ := ourField(field(v, "options"), "limit")
			checkField(t, obj, "options.limit", got, opts["limit"])
		case "htb":
			init := field(v, "options", "init")
			for _, k := range []string{"r2q", "direct_packets_stat"} {
				got, _ := ourField(init, k)
				checkField(t, obj, "options."+k, got, opts[k])
			}
			def, _ := ourField(init, "default")
			checkField(t, obj, "options.default", fmt.Sprintf("0x%x", uint64(toF(def))), opts["default"])
			got, _ := ourField(field(v, "options"), "direct_qlen")
			checkField(t, obj, "options.direct_qlen", got, opts["direct_qlen"])
		case "tbf":
			// tc prints the rate in bytes per second and derives burst
			// and latency from the buffer in ticks.
			got, _ := ourField(field(v, "options", "parms"), "rate")
			checkField(t, obj, "options.rate", got, opts["rate"])
		}
	}
	if n < 6 {
		t.Errorf("compared %d qdiscs, want 6", n)
	}
}

// TestClassOracle compares htb classes with tc's text output: iproute2
// 6.1's tc -j prints htb classes as text.
func TestClassOracle(t *testing.T) {
	ns := tcScenario(t)
	var v0 int64
	for k, v := range linkNames(t, ns) {
		if v == "v0" {
			v0 = int64(k)
		}
	}
	// The kernel dumps the classes of one device at a time.
	classes := dumpFamily(t, ns, tc.Family, tc.Class, schema.Fields{"ifindex": v0})
	text := ns.Run("tc", "class", "show", "dev", "v0")
	found := false
	for _, v := range classes {
		if str(v, "kind") != "htb" {
			continue
		}
		found = true
		handle := str(v, "handle")
		parms := field(v, "options", "parms")
		rate, _ := ourField(parms, "rate")
		ceil, _ := ourField(parms, "ceil_rate")
		line := ""
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "class htb "+handle+" ") {
				line = l
			}
		}
		if line == "" {
			t.Fatalf("tc does not show class %s:\n%s", handle, text)
		}
		// tc prints rates in bits per second with a unit.
		for _, want := range []string{fmt.Sprintf("rate %dMbit", int(toF(rate))*8/1000000), fmt.Sprintf("ceil %dMbit", int(toF(ceil))*8/1000000), "root"} {
			if !strings.Contains(line, want) {
				t.Errorf("class %s: nlsh says %q, tc says %q", handle, want, line)
			}
		}
		if p := str(v, "parent"); p != "root" {
			t.Errorf("class %s: parent %s, tc says root", handle, p)
		}
	}
	if !found {
		t.Fatal("no htb class listed")
	}
}

func TestFilterOracle(t *testing.T) {
	ns := tcScenario(t)
	names := linkNames(t, ns)
	var idx float64
	for k, v := range names {
		if v == "v0" {
			idx = k
		}
	}
	for _, c := range []struct{ parent, tcParent string }{{"ingress", "ffff:fff2"}, {"1:", "1:"}} {
		ours := dumpFamily(t, ns, tc.Family, tc.Filter, schema.Fields{"ifindex": int64(idx), "parent": c.parent})
		theirs := ipJSON(t, ns, "tc", "filter", "show", "dev", "v0", "parent", c.tcParent)
		if len(ours) != len(theirs) {
			t.Fatalf("parent %s: nlsh lists %d filters, tc %d", c.parent, len(ours), len(theirs))
		}
		for i, th := range theirs {
			v := ours[i]
			obj := fmt.Sprintf("filter %s #%d", c.parent, i)
			for _, k := range []string{"kind", "pref", "protocol", "chain"} {
				got, _ := ourField(v, k)
				checkField(t, obj, k, got, th[k])
			}
			opts, _ := th["options"].(map[string]any)
			if opts == nil {
				continue
			}
			if fh, ok := opts["fh"]; ok && th["kind"] == "u32" {
				// tc prints a u32 handle as htid:bucket:node.
				h, _ := ourField(v, "handle")
				u := uint32(toF(h))
				want := fmt.Sprintf("%x:", u>>20)
				if u&0xfffff != 0 {
					want = fmt.Sprintf("%x:%s:%x", u>>20, map[bool]string{true: "", false: fmt.Sprintf("%x", (u>>12)&0xff)}[(u>>12)&0xff == 0], u&0xfff)
				}
				checkField(t, obj, "fh", want, fh)
			}
			if cls, ok := opts["flowid"]; ok {
				checkField(t, obj, "classid", str(field(v, "options"), "classid"), cls)
			}
			if acts, ok := opts["actions"].([]any); ok {
				got, _ := ourField(field(v, "options"), "actions")
				list, _ := got.([]any)
				if len(list) != len(acts) {
					t.Errorf("%s: %d actions, tc prints %d", obj, len(list), len(acts))
					continue
				}
				for j, a := range acts {
					want := a.(map[string]any)
					act := list[j].(map[string]any)
					checkField(t, obj, "action kind", act["kind"], want["kind"])
					parms := act["options"].(map[string]any)["parms"].(map[string]any)
					checkField(t, obj, "action index", parms["index"], want["index"])
					if want["kind"] == "mirred" {
						checkField(t, obj, "mirred eaction", parms["eaction"], fmt.Sprintf("%v %v", want["direction"], want["mirred_action"]))
						checkField(t, obj, "mirred to_dev", names[toF(parms["ifindex"])], want["to_dev"])
					}
				}
			}
		}
	}
}
