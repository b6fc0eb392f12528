package bindings

import (
	"reflect"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// mapCodec decodes a nest of string attributes into a Map (type → text)
// and encodes Fields back, to check that a Map survives FieldsOf.
type mapCodec struct{}

func (mapCodec) Decode(b []byte, _ *schema.View) (any, error) {
	var m schema.Map
	s := packet.NewAttrScanner(b)
	for s.Next() {
		m = append(m, schema.MapEntry{Name: s.Attr().String(), Value: true})
	}
	return m, s.Err()
}

func (mapCodec) Encode(e *packet.Encoder, typ uint16, val any) error {
	n := e.BeginNested(typ)
	for name := range val.(schema.Fields) {
		e.String(1, name)
	}
	e.EndNested(n)
	return nil
}

// TestFieldsOfMap: a field that decodes to a Map comes back as Fields, the
// form a dict argument arrives in, so an object can be sent again.
func TestFieldsOfMap(t *testing.T) {
	set := schema.NewAttrSet("t", schema.Attr{Type: 1, Name: "m", Kind: schema.Custom, Codec: mapCodec{}})
	e := packet.NewEncoder(nil)
	n := e.BeginNested(1)
	e.String(1, "a")
	e.EndNested(n)
	got := FieldsOf(schema.NestView(set, e.Bytes()))
	want := schema.Fields{"m": schema.Fields{"a": true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FieldsOf = %#v, want %#v", got, want)
	}
}
