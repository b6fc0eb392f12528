package tc_test

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tc"
)

func roundTrip(t *testing.T, m *schema.Message, f schema.Fields) *schema.View {
	t.Helper()
	var e packet.Encoder
	if err := m.Encode(&e, unix.RTM_NEWQDISC, unix.NLM_F_REQUEST, f); err != nil {
		t.Fatalf("encode: %v", err)
	}
	v, err := schema.Decode(m, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func jsonOf(v any) string { return string(schema.AppendJSON(nil, v)) }

func get(t *testing.T, v *schema.View, path ...string) any {
	t.Helper()
	var cur any = v
	for _, p := range path {
		val, ok, err := cur.(*schema.View).Get(p)
		if !ok || err != nil {
			t.Fatalf("%v: %s absent (%v)", path, p, err)
		}
		cur = val
	}
	return cur
}

// TestQdiscKindsCodec covers, at the byte level, the qdisc kinds this
// kernel cannot create.
func TestQdiscKindsCodec(t *testing.T) {
	tests := []struct {
		kind    string
		options schema.Fields
		path    []string
		want    string
	}{
		{"fq_codel", schema.Fields{"target": 5000, "limit": 10240, "interval": 100000, "ecn": 1, "flows": 1024}, []string{"options", "flows"}, "1024"},
		{"fq", schema.Fields{"limit": 10000, "flow_limit": 100, "quantum": 3028, "horizon_drop": 1}, []string{"options", "flow_limit"}, "100"},
		{"cake", schema.Fields{"base_rate64": 12500000, "rtt": 100000, "nat": 1}, []string{"options", "base_rate64"}, "12500000"},
		{"netem", schema.Fields{"latency": 100000, "limit": 1000, "loss": 0, "jitter": 10}, []string{"options", "latency"}, "100000"},
		{"prio", schema.Fields{"bands": 3, "priomap": []byte{1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}}, []string{"options", "bands"}, "3"},
		{"sfq", schema.Fields{"quantum": 1514, "perturb": 10, "limit": 127, "divisor": 1024, "flows": 128}, []string{"options", "perturb"}, "10"},
		{"pfifo_fast", schema.Fields{"bands": 3}, []string{"options", "bands"}, "3"},
		{"tbf", schema.Fields{"parms": schema.Fields{"rate": 125000, "limit": 10000, "buffer": 80000}, "burst": 10240}, []string{"options", "parms", "rate"}, "125000"},
		{"htb", schema.Fields{"init": schema.Fields{"version": 3, "r2q": 10, "default": 16}, "direct_qlen": 1000}, []string{"options", "init", "default"}, "16"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			v := roundTrip(t, tc.QdiscMessage, schema.Fields{"ifindex": 2, "parent": "root", "handle": "1:", "kind": tt.kind, "options": tt.options})
			if got := jsonOf(get(t, v, tt.path...)); got != tt.want {
				t.Errorf("%v = %s, want %s", tt.path, got, tt.want)
			}
			if got := jsonOf(get(t, v, "handle")); got != `"1:"` {
				t.Errorf("handle %s", got)
			}
			if got := jsonOf(get(t, v, "parent")); got != `"root"` {
				t.Errorf("parent %s", got)
			}
		})
	}
}

// TestFilterKindsCodec covers the classifiers this kernel lacks (flower,
// matchall, basic) and the gact action, at the byte level.
func TestFilterKindsCodec(t *testing.T) {
	gact := []any{schema.Fields{"kind": "gact", "options": schema.Fields{"parms": schema.Fields{"action": "drop"}}}}
	mirred := []any{schema.Fields{"kind": "mirred", "options": schema.Fields{"parms": schema.Fields{"action": "stolen", "eaction": "ingress mirror", "ifindex": 3}}}}
	tests := []struct {
		kind    string
		options schema.Fields
		path    []string
		want    string
	}{
		{"flower", schema.Fields{"eth_type": "ip", "ip_proto": 6, "dst_ip": "10.0.0.1", "dst_ip_mask": "255.255.255.255", "tcp_dst_port": 80, "actions": gact}, []string{"options", "tcp_dst_port"}, "80"},
		{"flower", schema.Fields{"dst_mac": "02:00:00:00:00:01", "vlan_id": 10, "actions": mirred}, []string{"options", "dst_mac"}, `"02:00:00:00:00:01"`},
		{"matchall", schema.Fields{"classid": "1:10", "actions": gact}, []string{"options", "classid"}, `"1:10"`},
		{"basic", schema.Fields{"classid": "1:20", "actions": mirred}, []string{"options", "classid"}, `"1:20"`},
		{"bpf", schema.Fields{"fd": 7, "name": "prog", "flags": 1, "classid": "1:1"}, []string{"options", "name"}, `"prog"`},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			f := schema.Fields{"ifindex": 2, "parent": "ingress", "info": int64(10<<16 | 0x0008), "kind": tt.kind, "options": tt.options}
			v := roundTrip(t, tc.FilterMessage, f)
			if got := jsonOf(get(t, v, tt.path...)); got != tt.want {
				t.Errorf("%v = %s, want %s", tt.path, got, tt.want)
			}
			if p := jsonOf(get(t, v, "pref")); p != "10" {
				t.Errorf("pref %s", p)
			}
			if p := jsonOf(get(t, v, "protocol")); p != `"ip"` {
				t.Errorf("protocol %s", p)
			}
			if acts, ok, _ := get(t, v, "options").(*schema.View).Get("actions"); ok {
				j := jsonOf(acts)
				if !strings.Contains(j, `"kind":"gact"`) && !strings.Contains(j, `"eaction":"ingress mirror"`) {
					t.Errorf("actions %s", j)
				}
			}
		})
	}
}

func TestHandles(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		text string
	}{
		{"1:", 0x10000, "1:"},
		{"1:10", 0x10010, "1:10"},
		{"ffff:fff1", 0xfffffff1, "ffff:fff1"},
		{"root", 0xffffffff, "root"},
		{"clsact", 0xfffffff1, "ffff:fff1"},
		{"ingress", 0xfffffff2, "ffff:fff2"},
		{"egress", 0xfffffff3, "ffff:fff3"},
		{":5", 5, "0:5"},
	}
	for _, tt := range tests {
		v, ok := tc.Handle.Value(tt.in)
		if !ok || v != tt.want {
			t.Errorf("Value(%q) = %#x, %v; want %#x", tt.in, v, ok, tt.want)
		}
		if n, _ := tc.Handle.NameOf(v); n != tt.text {
			t.Errorf("NameOf(%#x) = %q, want %q", v, n, tt.text)
		}
	}
	for _, bad := range []string{"x", "1", "10000:", "1:zz"} {
		if _, ok := tc.Handle.Value(bad); ok {
			t.Errorf("Value(%q) accepted", bad)
		}
	}
}

// FuzzTCDecode decodes arbitrary bytes as every tc object and walks every
// field; it must never panic and the JSON must be valid.
func FuzzTCDecode(f *testing.F) {
	var e packet.Encoder
	tc.QdiscMessage.Encode(&e, 1, 0, schema.Fields{"kind": "htb", "options": schema.Fields{"init": schema.Fields{"r2q": 1}}})
	f.Add(e.Bytes()[packet.HeaderLen:])
	e.Reset(nil)
	tc.FilterMessage.Encode(&e, 1, 0, schema.Fields{"kind": "u32", "options": schema.Fields{"classid": "1:1", "actions": []any{schema.Fields{"kind": "mirred", "options": schema.Fields{"parms": schema.Fields{"ifindex": 1}}}}}})
	f.Add(e.Bytes()[packet.HeaderLen:])
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, obj := range tc.Family.Objects {
			v, err := schema.Decode(obj.Message, b)
			if err != nil {
				continue
			}
			walk(v, 0)
			if j, _ := v.MarshalJSON(); !json.Valid(j) {
				t.Fatalf("%s: invalid JSON %s", obj.Name(), j)
			}
		}
	})
}

func walk(v *schema.View, depth int) {
	v.Fields(func(f schema.FieldValue) bool {
		switch x := f.Value.(type) {
		case *schema.View:
			if depth < 8 {
				walk(x, depth+1)
			}
		case []any:
			for _, el := range x {
				if ev, ok := el.(*schema.View); ok && depth < 8 {
					walk(ev, depth+1)
				}
			}
		}
		return true
	})
}
