package route_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// fixtureMessages reads testdata/NAME.hex: kernel messages, one hex line
// each, nlmsghdr included, as TestCaptureObjectFixtures in tests/oracle
// wrote them.
func fixtureMessages(t *testing.T, name string) []packet.Message {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name+".hex"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var msgs []packet.Message
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s := packet.NewMessageScanner(b)
		for s.Next() {
			msgs = append(msgs, s.Message())
		}
		if err := s.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if len(msgs) == 0 {
		t.Fatalf("%s: no messages", name)
	}
	return msgs
}

// decodeFixture decodes every message of testdata/NAME.hex of type typ
// and checks that each decodes cleanly, with no attribute left raw.
func decodeFixture(t *testing.T, m *schema.Message, typ uint16, name string) []*schema.View {
	t.Helper()
	var views []*schema.View
	for _, msg := range fixtureMessages(t, name) {
		if msg.Header.Type != typ {
			continue
		}
		v, err := schema.Decode(m, msg.Data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		v.Fields(func(f schema.FieldValue) bool {
			if f.Err != nil {
				t.Errorf("%s: %s: %v", name, f.Name, f.Err)
			}
			if strings.HasPrefix(f.Name, "attr") {
				t.Errorf("%s: %s %s has an attribute the schema lacks: %s", name, m.Name, v.AppendJSON(nil), f.Name)
			}
			return true
		})
		views = append(views, v)
	}
	if len(views) == 0 {
		t.Fatalf("%s: no message of type %d", name, typ)
	}
	return views
}

// settable turns a decoded View back into the Fields that would encode it,
// leaving out what the kernel only reports.
func settable(v *schema.View) schema.Fields {
	f := schema.Fields{}
	v.Fields(func(fv schema.FieldValue) bool {
		if v.Set() != nil {
			if a := v.Set().ByName(fv.Name); a != nil && a.ReadOnly {
				return true
			}
		}
		f[fv.Name] = settableValue(fv.Value)
		return true
	})
	return f
}

func settableValue(val any) any {
	switch x := val.(type) {
	case *schema.View:
		return settable(x)
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = settableValue(el)
		}
		return out
	case []string:
		return x
	}
	return val
}

// roundTripView re-encodes what v holds that may be set, decodes that, and
// checks that each of those fields reads the same.
func roundTripView(t *testing.T, m *schema.Message, v *schema.View) {
	t.Helper()
	f := settable(v)
	var e packet.Encoder
	if err := m.Encode(&e, 0x10, unix.NLM_F_REQUEST, f); err != nil {
		t.Fatalf("re-encode %s: %v", v.AppendJSON(nil), err)
	}
	again, err := schema.Decode(m, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	want := schema.AppendJSON(nil, f)
	got := schema.AppendJSON(nil, settable(again))
	if !bytes.Equal(want, got) {
		t.Errorf("%s round trip:\n got %s\nwant %s", m.Name, got, want)
	}
}

// encodeFields encodes f as one message of m and decodes it back.
func encodeFields(t *testing.T, m *schema.Message, f schema.Fields) (*schema.View, []byte) {
	t.Helper()
	var e packet.Encoder
	if err := m.Encode(&e, 0x10, unix.NLM_F_REQUEST, f); err != nil {
		t.Fatalf("encode %v: %v", f, err)
	}
	payload := e.Bytes()[packet.HeaderLen:]
	v, err := schema.Decode(m, payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Err(); err != nil {
		t.Fatal(err)
	}
	return v, payload
}

func jsonOf(t *testing.T, v *schema.View, name string) string {
	t.Helper()
	val, ok, err := v.Get(name)
	if !ok || err != nil {
		return "<absent>"
	}
	return string(schema.AppendJSON(nil, val))
}

// checkJSONFields checks, for each key of want, that the object found
// under it has each named field with the given JSON.
func checkJSONFields[K comparable](t *testing.T, what string, objs map[K]*schema.View, want map[K]map[string]string) {
	t.Helper()
	for key, fields := range want {
		v := objs[key]
		if v == nil {
			t.Errorf("%s %v missing from the fixture", what, key)
			continue
		}
		for k, w := range fields {
			if got := jsonOf(t, v, k); got != w {
				t.Errorf("%s %v %s:\n got %s\nwant %s", what, key, k, got, w)
			}
		}
	}
}

func TestRuleCodec(t *testing.T) {
	tests := []struct {
		name   string
		fields schema.Fields
		want   map[string]string // field -> JSON
	}{
		{"ipv4 selectors", schema.Fields{"family": "inet", "action": "to_tbl", "priority": 100, "table": 100000, "src": "10.1.0.0/16",
			"dst": "10.2.0.1", "tos": 0x10, "fwmark": 0x10, "fwmask": 0xff, "iif": "eth0", "oif": "eth1", "ipproto": "tcp",
			"sport_range": schema.Fields{"start": 1000, "end": 2000}, "dport_range": schema.Fields{"start": 80, "end": 80},
			"uid_range": schema.Fields{"start": 1, "end": 2}, "protocol": "bgp", "flags": []string{"not"}, "realms": 0x30004,
			"suppress_prefixlen": 0, "suppress_ifgroup": "default", "l3mdev": 1},
			map[string]string{"family": `"inet"`, "src": `"10.1.0.0/16"`, "dst": `"10.2.0.1"`, "table": "100000", "tos": "16",
				"ipproto": `"tcp"`, "sport_range": `{"start":1000,"end":2000}`, "dport_range": `{"start":80,"end":80}`,
				"uid_range": `{"start":1,"end":2}`, "protocol": `"bgp"`, "flags": `["not"]`, "realms": "196612",
				"suppress_prefixlen": "0", "suppress_ifgroup": `"default"`, "priority": "100", "iif": `"eth0"`, "oif": `"eth1"`}},
		{"ipv6 newer selectors", schema.Fields{"family": "inet6", "action": "prohibit", "dscp": 40, "dscp_mask": 0x38, "flowlabel": 0x12345,
			"flowlabel_mask": 0xfffff, "sport_mask": 0xff00, "dport_mask": 0xf000, "tun_id": uint64(1) << 40, "ipproto": "ipv6-icmp"},
			map[string]string{"action": `"prohibit"`, "dscp": "40", "dscp_mask": "56", "flowlabel": "74565", "flowlabel_mask": "1048575",
				"sport_mask": "65280", "dport_mask": "61440", "tun_id": "1099511627776", "ipproto": `"ipv6-icmp"`, "priority": "0"}},
		{"goto", schema.Fields{"family": "inet", "action": "goto", "goto": 200, "priority": 150, "suppress_prefixlen": -1},
			map[string]string{"action": `"goto"`, "goto": "200", "suppress_prefixlen": "-1", "table": `"unspec"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _ := encodeFields(t, route.RuleMessage, tt.fields)
			for k, want := range tt.want {
				if got := jsonOf(t, v, k); got != want {
					t.Errorf("%s: got %s, want %s", k, got, want)
				}
			}
			roundTripView(t, route.RuleMessage, v)
		})
	}
}

// TestRuleWire checks the bytes of the layouts no other kind shares:
// the big-endian tunnel id and flow label, and the header's prefix
// lengths and action.
func TestRuleWire(t *testing.T) {
	_, b := encodeFields(t, route.RuleMessage, schema.Fields{"family": "inet6", "action": "blackhole",
		"src": "2001:db8::/32", "tun_id": 0x0102030405060708, "flowlabel": 0xabcde})
	wantHdr := []byte{unix.AF_INET6, 0, 32, 0, 0, 0, 0, unix.FR_ACT_BLACKHOLE, 0, 0, 0, 0}
	if !bytes.Equal(b[:12], wantHdr) {
		t.Errorf("header % x, want % x", b[:12], wantHdr)
	}
	for _, want := range [][]byte{
		{12, 0, unix.FRA_TUN_ID, 0, 1, 2, 3, 4, 5, 6, 7, 8},
		{8, 0, 26, 0, 0x00, 0x0a, 0xbc, 0xde},
	} {
		if !bytes.Contains(b, want) {
			t.Errorf("message % x lacks attribute % x", b, want)
		}
	}
	var e packet.Encoder
	for _, bad := range []schema.Fields{{"tun_id": "x"}, {"tun_id": -1}, {"uid_range": schema.Fields{"first": 1}}, {"action": "jump"}, {"ipproto": "nope"}} {
		if err := route.RuleMessage.Encode(&e, unix.RTM_NEWRULE, 0, bad); err == nil {
			t.Errorf("encode %v: no error", bad)
		}
	}
}

// TestRuleFixture decodes a kernel dump of every kind of rule, including
// the DSCP, flow label and port mask attributes that ip 6.1 cannot show.
func TestRuleFixture(t *testing.T) {
	byPrio := map[string]map[uint32]*schema.View{}
	for _, v := range decodeFixture(t, route.RuleMessage, unix.RTM_NEWRULE, "rule_dump") {
		r := route.RuleOf(v)
		fam := jsonOf(t, v, "family")
		if byPrio[fam] == nil {
			byPrio[fam] = map[uint32]*schema.View{}
		}
		byPrio[fam][r.Priority()] = v
		roundTripView(t, route.RuleMessage, v)
	}
	v4, v6 := byPrio[`"inet"`], byPrio[`"inet6"`]
	checks := []struct {
		v    *schema.View
		want map[string]string
	}{
		{v4[100], map[string]string{"fwmark": "16", "fwmask": "255", "table": "100", "action": `"to_tbl"`}},
		{v4[103], map[string]string{"flags": `["not"]`, "src": `"10.1.0.0/16"`, "dst": `"10.2.0.0/16"`, "action": `"blackhole"`}},
		{v4[105], map[string]string{"uid_range": `{"start":100,"end":200}`, "action": `"prohibit"`}},
		{v4[107], map[string]string{"flags": `["unresolved"]`, "goto": "999"}},
		{v4[113], map[string]string{"tun_id": "77"}},
		{v4[114], map[string]string{"suppress_ifgroup": "5", "table": `"main"`}},
		{v4[117], map[string]string{"flags": `["iif_detached"]`, "iif": `"ghost0"`}},
		{v4[119], map[string]string{"table": "100000", "protocol": `"static"`}},
		{v6[300], map[string]string{"dscp": "40", "dscp_mask": "56", "flowlabel": "74565", "flowlabel_mask": "1048575", "sport_mask": "65280"}},
	}
	for _, c := range checks {
		if c.v == nil {
			t.Fatalf("a rule is missing from the fixture (want %v)", c.want)
		}
		for k, want := range c.want {
			if got := jsonOf(t, c.v, k); got != want {
				t.Errorf("rule %d %s: got %s, want %s", route.RuleOf(c.v).Priority(), k, got, want)
			}
		}
	}
	r := route.RuleOf(v4[103])
	if src, ok := r.Src(); !ok || src.String() != "10.1.0.0/16" || r.Action() != unix.FR_ACT_BLACKHOLE || r.Flags() != unix.FIB_RULE_INVERT {
		t.Errorf("RuleView 103: src %v %v action %d flags %#x", src, ok, r.Action(), r.Flags())
	}
	if mark, mask := route.RuleOf(v4[100]).FwMark(); mark != 0x10 || mask != 0xff || route.RuleOf(v4[100]).Table() != 100 {
		t.Errorf("RuleView 100: fwmark %#x/%#x table %d", mark, mask, route.RuleOf(v4[100]).Table())
	}
	if got := route.RuleOf(v4[102]); got.IIF() != "v0" || got.OIF() != "v1" || got.IPProto() != unix.IPPROTO_TCP {
		t.Errorf("RuleView 102: iif %q oif %q ipproto %d", got.IIF(), got.OIF(), got.IPProto())
	}
	allocs := testing.AllocsPerRun(100, func() {
		r := route.RuleOf(v4[102])
		_, _ = r.Src()
		_, _ = r.FwMark()
		_, _, _ = r.DportRange()
		_ = r.Table() + r.Priority() + r.Goto() + r.Flags()
	})
	if allocs != 0 {
		t.Errorf("RuleView accessors allocate %v times", allocs)
	}
}

// TestRuleMalformed feeds broken payloads: decoding reports errors and
// never panics.
func TestRuleMalformed(t *testing.T) {
	if _, err := schema.Decode(route.RuleMessage, make([]byte, 11)); err == nil {
		t.Error("an 11-byte rule decoded")
	}
	hdr := make([]byte, 12)
	for _, attrs := range [][]byte{
		{12, 0, unix.FRA_TUN_ID, 0, 1, 2, 3, 4},                      // truncated
		{8, 0, unix.FRA_TUN_ID, 0, 1, 2, 3, 4},                       // be64 of 4 bytes
		{8, 0, unix.FRA_UID_RANGE, 0, 1, 0, 0, 0},                    // short struct
		{5, 0, unix.FRA_PRIORITY, 0, 1, 0, 0, 0},                     // short u32
		{8, 0, unix.FRA_SRC, 0, 10, 0, 0, 1, 0xff, 0xff, 0xff, 0xff}, // garbage after
	} {
		v, err := schema.Decode(route.RuleMessage, append(append([]byte(nil), hdr...), attrs...))
		if err != nil {
			t.Fatal(err)
		}
		_ = v.AppendJSON(nil)
		r := route.RuleOf(v)
		_, _ = r.Src()
		_, _, _ = r.SportRange()
		_ = r.Priority()
	}
	v, _ := schema.Decode(route.RuleMessage, append(append([]byte(nil), hdr...), 8, 0, unix.FRA_TUN_ID, 0, 1, 2, 3, 4))
	if _, _, err := v.Get("tun_id"); err == nil {
		t.Error("a 4-byte tun_id decoded")
	}
}
