package schema_test

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// A hidden attribute reads by name and through its Fallback, but is not
// listed: the address it stands behind shows it.
func TestHiddenAttr(t *testing.T) {
	m := &schema.Message{Name: "ep", Attrs: schema.NewAttrSet("ep",
		schema.Attr{Type: 1, Name: "address", Kind: schema.Addr, Fallback: "addr6"},
		schema.Attr{Type: 2, Name: "addr6", Kind: schema.Addr, Hidden: true},
		schema.Attr{Type: 3, Name: "id", Kind: schema.U8},
	)}
	var e packet.Encoder
	if err := m.Encode(&e, 16, 0, schema.Fields{"addr6": "2001:db8::1", "id": 3}); err != nil {
		t.Fatal(err)
	}
	v, err := schema.Decode(m, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.FieldNames(), []string{"address", "id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("FieldNames = %v, want %v", got, want)
	}
	if got, want := v.Names(), []string{"address", "id"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
	for _, name := range []string{"address", "addr6"} {
		if val, ok, err := v.Get(name); !ok || err != nil || val.(interface{ String() string }).String() != "2001:db8::1" {
			t.Errorf("Get(%q) = %v, %v, %v", name, val, ok, err)
		}
	}
}

// A String struct field is a char array: read up to its NUL, written
// NUL-padded, refused when it leaves no room for the NUL.
func TestStructCharArrayField(t *testing.T) {
	def := &schema.StructDef{Name: "s", Size: 8, Fields: []schema.Field{
		{Name: "comm", Offset: 0, Kind: schema.String, Len: 6},
		{Name: "n", Offset: 6, Kind: schema.U16},
	}}
	tests := []struct {
		comm    string
		want    []byte
		wantErr bool
	}{
		{"sh", []byte{'s', 'h', 0, 0, 0, 0, 0, 0}, false},
		{"bash1", []byte{'b', 'a', 's', 'h', '1', 0, 0, 0}, false},
		{"bash12", nil, true},
		{"a\x00b", nil, true},
	}
	for _, tt := range tests {
		b := make([]byte, def.Size)
		err := def.Encode(b, schema.Fields{"comm": tt.comm})
		if (err != nil) != tt.wantErr {
			t.Errorf("Encode(%q): err = %v, want error %v", tt.comm, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		if !reflect.DeepEqual(b, tt.want) {
			t.Errorf("Encode(%q) = %v, want %v", tt.comm, b, tt.want)
		}
		if got, ok, _ := schema.StructView(def, b).Get("comm"); !ok || got != tt.comm {
			t.Errorf("Get(comm) of %v = %v, %v; want %q", b, got, ok, tt.comm)
		}
	}
	// Without a NUL the whole array is the text; a short struct lacks it.
	if got, _, _ := schema.StructView(def, []byte("abcdef\x01\x00")).Get("comm"); got != "abcdef" {
		t.Errorf("unterminated comm = %q", got)
	}
	if _, ok, _ := schema.StructView(def, []byte("abc")).Get("comm"); ok {
		t.Error("comm read from a 3-byte struct")
	}
}

// TestLift reads a nest's fields flat, through computed fields, and none
// when the nest is absent.
func TestLift(t *testing.T) {
	inner := schema.NewAttrSet("inner",
		schema.Attr{Type: 1, Name: "id", Kind: schema.U8, Doc: "the id"},
		schema.Attr{Type: 2, Name: "port", Kind: schema.U16})
	m := &schema.Message{Name: "lifted", Attrs: schema.NewAttrSet("outer",
		schema.Attr{Type: 1, Name: "addr", Kind: schema.Nest, Nest: inner, Hidden: true})}
	m.Computed = schema.Lift("addr", []string{"id", "port"}, func(name string) string { return inner.ByName(name).Doc })

	var e packet.Encoder
	n := e.BeginNested(1)
	e.Uint8(1, 7)
	e.EndNested(n)
	v, err := schema.Decode(m, e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if id, ok, err := v.Get("id"); id != uint64(7) || !ok || err != nil {
		t.Errorf("id = %v, %v, %v; want 7", id, ok, err)
	}
	if port, ok, _ := v.Get("port"); ok {
		t.Errorf("port = %v, want absent", port)
	}
	if m.Computed[0].Doc != "the id" {
		t.Errorf("id's doc %q", m.Computed[0].Doc)
	}
	empty, _ := schema.Decode(m, nil)
	if id, ok, _ := empty.Get("id"); ok {
		t.Errorf("without the nest, id = %v", id)
	}
}

// TestIPv6Type: one Addr field for a family's pair of address attributes,
// written under the IPv6 type for an IPv6 address (an IPv4-mapped one goes
// as IPv4), read from either, and only 4 bytes under the IPv4 type.
func TestIPv6Type(t *testing.T) {
	set := schema.NewAttrSet("pair",
		schema.Attr{Type: 1, Name: "address", Kind: schema.Addr, IPv6Type: 2, Fallback: "addr6"},
		schema.Attr{Type: 2, Name: "addr6", Kind: schema.Addr, Hidden: true})
	m := &schema.Message{Name: "pair", Attrs: set}
	for _, tt := range []struct {
		in, hex, reads string
	}{
		{"10.0.0.1", "08000100" + "0a000001", "10.0.0.1"},
		{"::ffff:10.0.0.1", "08000100" + "0a000001", "10.0.0.1"},
		{"2001:db8::1", "14000200" + "20010db8000000000000000000000001", "2001:db8::1"},
	} {
		var e packet.Encoder
		if err := m.Encode(&e, 0x10, 0, schema.Fields{"address": tt.in}); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if got := hex.EncodeToString(e.Bytes()[packet.HeaderLen:]); got != tt.hex {
			t.Errorf("%s encodes as %s, want %s", tt.in, got, tt.hex)
		}
		v, err := schema.Decode(m, e.Bytes()[packet.HeaderLen:])
		if err != nil {
			t.Fatal(err)
		}
		if got, _, err := v.Get("address"); fmt.Sprint(got) != tt.reads || err != nil {
			t.Errorf("%s reads as %v (%v), want %s", tt.in, got, err, tt.reads)
		}
	}
	var e packet.Encoder
	e.Attr(1, make([]byte, 16))
	v, _ := schema.Decode(m, e.Bytes())
	if _, _, err := v.Get("address"); err == nil {
		t.Error("16 bytes under the IPv4 type read without an error")
	}
	if err := m.Encode(&e, 0x10, 0, schema.Fields{"address": netip.Addr{}}); err == nil || !strings.Contains(err.Error(), "address: want an IP address, got an empty one") {
		t.Errorf("an empty address: %v", err)
	}
}
