package schema_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// A tc-like object: options chosen by kind, as attributes for one kind and
// a fixed struct for another, and a handle that reads as "major:minor".
var (
	subFifo   = &schema.StructDef{Name: "fifo_qopt", Size: 4, Fields: []schema.Field{{Name: "limit", Offset: 0, Kind: schema.U32}}}
	subHTB    = schema.NewAttrSet("htb", schema.Attr{Type: 1, Name: "rate", Kind: schema.U64}, schema.Attr{Type: 2, Name: "burst", Kind: schema.U32})
	subHandle = schema.NewTextEnum("handle", map[uint64]string{0xffffffff: "root", 0: "none"},
		func(v uint64) string { return fmt.Sprintf("%x:%x", v>>16, v&0xffff) },
		func(s string) (uint64, bool) {
			var maj, min uint64
			if _, err := fmt.Sscanf(s, "%x:%x", &maj, &min); err != nil || maj > 0xffff || min > 0xffff {
				return 0, false
			}
			return maj<<16 | min, true
		})
	subMsg = &schema.Message{
		Name: "qdisc",
		Attrs: schema.NewAttrSet("qdisc",
			schema.Attr{Type: 1, Name: "kind", Kind: schema.String},
			schema.Attr{Type: 2, Name: "options", Kind: schema.Nest, Sub: &schema.SubMessage{
				Selector: "kind",
				Sets:     map[string]*schema.AttrSet{"htb": subHTB},
				Structs:  map[string]*schema.StructDef{"pfifo": subFifo},
			}},
			schema.Attr{Type: 3, Name: "handle", Kind: schema.U32, Enum: subHandle},
		),
	}
)

func TestSubMessageStructs(t *testing.T) {
	requireLE(t)
	tests := []struct {
		f    schema.Fields
		wire string
		want map[string]any
	}{
		{
			schema.Fields{"kind": "pfifo", "options": schema.Fields{"limit": 1000}},
			"0a000100 706669666f00 0000 | 08000200 e8030000",
			map[string]any{"kind": "pfifo", "options": map[string]any{"limit": uint64(1000)}},
		},
		{
			schema.Fields{"kind": "htb", "options": schema.Fields{"burst": 5}},
			"08000100 68746200 | 0c000280 08000200 05000000",
			map[string]any{"kind": "htb", "options": map[string]any{"burst": uint64(5)}},
		},
	}
	for _, tt := range tests {
		var e packet.Encoder
		if err := subMsg.Encode(&e, 1, 0, tt.f); err != nil {
			t.Fatalf("Encode(%v): %v", tt.f, err)
		}
		got := e.Bytes()[packet.HeaderLen:]
		if want := testhex.Decode(t, tt.wire); !bytes.Equal(got, want) {
			t.Errorf("Encode(%v) = % x, want % x", tt.f, got, want)
		}
		v, err := schema.Decode(subMsg, got)
		if err != nil {
			t.Fatal(err)
		}
		if g := tree(v); !reflect.DeepEqual(g, any(tt.want)) {
			t.Errorf("decoded %v, want %v", g, tt.want)
		}
	}
	// A struct option cut short reads what fits; one selected by an
	// unknown kind stays raw.
	e := packet.NewEncoder(nil)
	e.String(1, "pfifo")
	e.Attr(2, []byte{1, 2})
	v := schema.NestView(subMsg.Attrs, e.Bytes())
	if o, ok, err := v.Get("options"); !ok || err != nil || !reflect.DeepEqual(tree(o), map[string]any{}) {
		t.Errorf("short options = %#v, %v, %v", tree(o), ok, err)
	}
	// Unknown fields of a struct option are refused, as those of a Struct
	// attribute are, not dropped.
	for _, f := range []schema.Fields{
		{"kind": "pfifo", "options": schema.Fields{"limt": 1}},
		{"kind": "pfifo", "options": schema.Fields{"limit": -1}},
		{"kind": "pfifo", "options": 1},
		{"kind": "htb", "options": schema.Fields{"limit": 1}},
		{"kind": "sfq", "options": schema.Fields{}},
	} {
		var e packet.Encoder
		err := subMsg.Encode(&e, 1, 0, f)
		var fe *schema.FieldError
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Path, "options") {
			t.Errorf("Encode(%v) = %v, want a FieldError on options", f, err)
		}
	}
}

func TestTextEnum(t *testing.T) {
	tests := []struct {
		v    uint64
		text string
	}{
		{0xffffffff, "root"},
		{0, "none"},
		{0x10010, "1:10"},
		{0xffff0000, "ffff:0"},
	}
	for _, tt := range tests {
		if n, ok := subHandle.NameOf(tt.v); n != tt.text || !ok {
			t.Errorf("NameOf(%#x) = %q, %v", tt.v, n, ok)
		}
		if v, ok := subHandle.Value(tt.text); v != tt.v || !ok {
			t.Errorf("Value(%q) = %#x, %v", tt.text, v, ok)
		}
		// Through a message and back.
		var e packet.Encoder
		if err := subMsg.Encode(&e, 1, 0, schema.Fields{"handle": tt.text}); err != nil {
			t.Fatal(err)
		}
		v, _ := schema.Decode(subMsg, e.Bytes()[packet.HeaderLen:])
		if got, _, _ := v.Get("handle"); got != tt.text {
			t.Errorf("handle %q reads back as %v", tt.text, got)
		}
		if n, err := subMsg.Normalize("handle", tt.v); err != nil || n != tt.text {
			t.Errorf("Normalize(handle, %#x) = %v, %v", tt.v, n, err)
		}
	}
	if v, ok := subHandle.Value("ROOT"); v != 0xffffffff || !ok {
		t.Errorf("Value(ROOT) = %#x, %v", v, ok)
	}
	if _, ok := subHandle.Value("nonsense"); ok {
		t.Error("Value took nonsense")
	}
	if got := subHandle.Names(); !reflect.DeepEqual(got, []string{"none", "root"}) {
		t.Errorf("Names() = %v, only the named values", got)
	}
	var e packet.Encoder
	if err := subMsg.Encode(&e, 1, 0, schema.Fields{"handle": "x:y"}); err == nil || !strings.Contains(err.Error(), `unknown handle "x:y"`) {
		t.Errorf("a bad handle: %v", err)
	}
}
