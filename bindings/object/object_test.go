package object_test

import (
	"testing"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestMapValue: a Map reads as a frozen dict whose keys keep the Map's
// order and whose values are converted like any other.
func TestMapValue(t *testing.T) {
	tests := []struct {
		in   schema.Map
		want string
	}{
		{nil, `{}`},
		{schema.Map{{Name: "rx-gro", Value: true}, {Name: "bit3", Value: false}}, `{"rx-gro": True, "bit3": False}`},
		{schema.Map{{Name: "z", Value: uint64(7)}, {Name: "a", Value: []string{"x"}}}, `{"z": 7, "a": ["x"]}`},
	}
	for _, tt := range tests {
		v := object.Value("t.m", tt.in)
		d, ok := v.(*starlark.Dict)
		if !ok {
			t.Fatalf("Value(%v) is a %s, want a dict", tt.in, v.Type())
		}
		if got := d.String(); got != tt.want {
			t.Errorf("Value(%v) = %s, want %s", tt.in, got, tt.want)
		}
		if err := d.SetKey(starlark.String("new"), starlark.True); err == nil {
			t.Errorf("Value(%v): the dict is not frozen", tt.in)
		}
	}
}
