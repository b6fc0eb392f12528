package schema_test

import (
	"encoding/json"
	"errors"
	"math"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

func TestSynJSON(t *testing.T) {
	v := synDecode(t, synEncode(t, synAll()))
	j, err := v.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// Written out by hand: numbers as numbers, enums as names, flags as
	// lists, addresses and prefixes as text, bytes as hex, nests as
	// objects, in Fields order.
	want := `{"family":"inet","hflags":["up","running"],"ifindex":-3,"port":8080,` +
		`"u8":200,"u16":65535,"u32":4000000000,"u64":9223372036854775808,` +
		`"s8":-128,"s16":-300,"s32":-70000,"s64":-9223372036854775808,` +
		`"uint":1099511627776,"be16":4660,"be32":3735928559,` +
		`"name":"eth0","blob":"0001ff","on":true,"local":"192.0.2.1","address":"192.0.2.2",` +
		`"dst":"10.1.0.0/16","lladdr":"02:00:5e:00:53:01","state":"reachable","flags":["nodad","permanent"],` +
		`"kind":"vlan","data":{"vid":100,"proto":33024},"info":{"id":7,"label":"x","inner":{"depth":3}},` +
		`"ports":[{"num":1},{"num":2,"pname":"p2"}],"stats":{"rx":1,"tx":2,"errs":3,"hw":"aa:bb:cc:dd:ee:ff"},` +
		`"counters":[1,2,3],"alias":["a","b"],"table":"main","legacy":{"id":9},"nbo":16909060,` +
		`"labels":"100/200","prio":5,"addrs":["2001:db8::1","10.0.0.1"],"last":9,"stacks":["1/2","3"],` +
		`"double":8000000000,"attr35":"010203","attr99":"04"}`
	if string(j) != want {
		t.Errorf("MarshalJSON =\n%s\nwant\n%s", j, want)
	}
	if !json.Valid(j) {
		t.Fatal("invalid JSON")
	}
	if keys := jsonKeys(t, j); !reflect.DeepEqual(keys, v.Names()) {
		t.Errorf("JSON keys %v\nNames()  %v", keys, v.Names())
	}
	// encoding/json agrees with it, and with AppendJSON.
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		t.Fatal(err)
	}
	if m["u32"] != 4e9 || m["dst"] != "10.1.0.0/16" {
		t.Errorf("Unmarshal: %v", m)
	}
	if got := schema.AppendJSON([]byte("x="), v); string(got) != "x="+want {
		t.Errorf("AppendJSON does not append: %.20s", got)
	}
	// json.Marshal finds the method too.
	if got, err := json.Marshal(map[string]any{"o": v}); err != nil || string(got) != `{"o":`+want+`}` {
		t.Errorf("json.Marshal = %.60s, %v", got, err)
	}
}

func TestSynJSONStrings(t *testing.T) {
	tests := []struct {
		in   string // the string attribute's payload, before the NUL
		json string // as AppendJSON writes it
		back string // as encoding/json reads it
	}{
		{"plain", `"plain"`, "plain"},
		{`q"b\s/`, `"q\"b\\s/"`, `q"b\s/`},
		{"\x01\x1f\t\n\r\b\f", `"\u0001\u001f\u0009\u000a\u000d\u0008\u000c"`, "\x01\x1f\t\n\r\b\f"},
		{"del\x7f", `"del\u007f"`, "del\x7f"},
		{"é€😀", `"é€😀"`, "é€😀"},
		{"\u2028\u2029", "\"\u2028\u2029\"", "\u2028\u2029"},
		{"bad\xffutf8\xc3", `"bad\ufffdutf8\ufffd"`, "bad\ufffdutf8\ufffd"},
		{"\xed\xa0\x80", `"\ufffd\ufffd\ufffd"`, "\ufffd\ufffd\ufffd"}, // a surrogate, not UTF-8
		{"<&>", `"<&>"`, "<&>"},
	}
	for _, tt := range tests {
		v := synView(t, synRaw(nil, func(e *packet.Encoder) { e.Attr(12, append([]byte(tt.in), 0)) }))
		got, _, _ := v.Get("name")
		if got != tt.in {
			t.Errorf("name %q reads as %q", tt.in, got)
		}
		if j := schema.AppendJSON(nil, tt.in); string(j) != tt.json {
			t.Errorf("AppendJSON(%q) = %s, want %s", tt.in, j, tt.json)
		}
		j, _ := v.MarshalJSON()
		var m map[string]any
		if err := json.Unmarshal(j, &m); err != nil {
			t.Errorf("%q: %v in %s", tt.in, err, j)
			continue
		}
		if m["name"] != tt.back {
			t.Errorf("%q: encoding/json reads %q", tt.in, m["name"])
		}
	}
	// A string stops at its first NUL, as the kernel's do.
	v := synView(t, synRaw(nil, func(e *packet.Encoder) { e.Attr(12, []byte("ab\x00cd\x00")) }))
	if got, _, _ := v.Get("name"); got != "ab" {
		t.Errorf("name = %q", got)
	}
	// And without a NUL at all, the whole payload.
	v = synView(t, synRaw(nil, func(e *packet.Encoder) { e.Attr(12, []byte("abc")) }))
	if got, _, _ := v.Get("name"); got != "abc" {
		t.Errorf("name = %q", got)
	}
}

func TestFormatPrefix(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.0.0.1/32", "10.0.0.1"},
		{"10.0.0.0/24", "10.0.0.0/24"},
		{"10.0.0.1/24", "10.0.0.1/24"}, // not masked, as the kernel reports it
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"2001:db8::1/128", "2001:db8::1"},
		{"2001:db8::/64", "2001:db8::/64"},
		{"::/0", "::/0"},
		{"::ffff:10.0.0.1/128", "::ffff:10.0.0.1"},
	}
	for _, tt := range tests {
		if got := schema.FormatPrefix(mustPrefix(tt.in)); got != tt.want {
			t.Errorf("FormatPrefix(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	// The same through a message: the header's length decides.
	for _, tt := range tests[:6] {
		p := mustPrefix(tt.in)
		v := synDecode(t, synEncode(t, schema.Fields{"dst": p}))
		if j, _ := v.MarshalJSON(); !strings.Contains(string(j), `"dst":"`+tt.want+`"`) {
			t.Errorf("dst %s: %s", tt.in, j)
		}
	}
}

type jsonOK struct{}

func (jsonOK) MarshalJSON() ([]byte, error) { return []byte(`{"ok":1}`), nil }

type jsonErr struct{}

func (jsonErr) MarshalJSON() ([]byte, error) { return nil, errors.New("no") }

func TestAppendJSONValues(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{nil, `null`},
		{uint64(math.MaxUint64), `18446744073709551615`},
		{int64(math.MinInt64), `-9223372036854775808`},
		{1.5, `1.5`},
		{1e21, `1e+21`},
		{math.NaN(), `null`},
		{math.Inf(1), `null`},
		{math.Inf(-1), `null`},
		{true, `true`},
		{false, `false`},
		{"", `""`},
		{[]string{}, `[]`},
		{[]string(nil), `[]`},
		{[]string{"a", "\"b\""}, `["a","\"b\""]`},
		{[]any{}, `[]`},
		{[]any{uint64(1), "x", nil, []any{true}}, `[1,"x",null,[true]]`},
		{netip.Addr{}, `"invalid IP"`},
		{mustAddr("fe80::1%eth0"), `"fe80::1%eth0"`},
		{mustAddr("10.0.0.1"), `"10.0.0.1"`},
		{mustPrefix("10.0.0.0/8"), `"10.0.0.0/8"`},
		{mustPrefix("10.0.0.1/32"), `"10.0.0.1"`},
		{net.HardwareAddr{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}, `"aa:bb:cc:dd:ee:ff"`},
		{net.HardwareAddr(make([]byte, 20)), `"` + strings.TrimSuffix(strings.Repeat("00:", 20), ":") + `"`},
		{net.HardwareAddr(nil), `""`},
		{[]byte{0, 0xab, 0xff}, `"00abff"`},
		{[]byte{}, `""`},
		{jsonOK{}, `{"ok":1}`},
		{jsonErr{}, `null`},
		{struct{}{}, `null`},
		{schema.NestView(synInfo, nil), `{}`},
		{schema.Map{}, `{}`},
		{schema.Map(nil), `{}`},
		{schema.Map{{Name: "rx-gro", Value: true}, {Name: "tx \"x\"", Value: false}, {Name: "n", Value: []any{uint64(1)}}}, `{"rx-gro":true,"tx \"x\"":false,"n":[1]}`},
	}
	for _, tt := range tests {
		got := schema.AppendJSON(nil, tt.in)
		if string(got) != tt.want {
			t.Errorf("AppendJSON(%#v) = %s, want %s", tt.in, got, tt.want)
		}
		if !json.Valid(got) {
			t.Errorf("AppendJSON(%#v) = %s is not JSON", tt.in, got)
		}
	}
}

// TestSynJSONSkipsBadFields checks the commas when the fields around a
// malformed one are left out.
func TestSynJSONSkipsBadFields(t *testing.T) {
	e := packet.NewEncoder(nil)
	e.Attr(1, []byte{1})        // id: a bad u32, first
	e.String(2, "x")            // label
	e.Attr(3|0x8000, []byte{1}) // inner: a bad stream, still a view
	v := schema.NestView(synInfo, e.Bytes())
	j, _ := v.MarshalJSON()
	if string(j) != `{"label":"x","inner":{}}` {
		t.Errorf("JSON %s", j)
	}
	e = packet.NewEncoder(nil)
	e.Attr(1, []byte{1})
	if j, _ := schema.NestView(synInfo, e.Bytes()).MarshalJSON(); string(j) != `{}` {
		t.Errorf("JSON %s", j)
	}
}
