package genl

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// switchFamily is a family whose requests carry a header nest with a
// flags field, as ethtool's do.
var switchFamily = func() *genl.FamilySpec {
	flags := schema.NewEnum("flags", map[uint64]string{1: "compact", 4: "stats"})
	hdr := schema.NewAttrSet("header",
		schema.Attr{Type: 2, Name: "dev_name", Kind: schema.String},
		schema.Attr{Type: 3, Name: "flags", Kind: schema.U32, Flags: flags})
	set := schema.NewAttrSet("req", schema.Attr{Type: 1, Name: "header", Kind: schema.Nest, Nest: hdr})
	op := func(name string) *genl.Operation {
		return &genl.Operation{Name: name, Cmd: 1, Do: true, Dump: true, Key: []string{"dev"},
			Request: &schema.Message{Name: name, Header: genl.Header, Attrs: set},
			Reply:   &schema.Message{Name: name, Header: genl.Header, Attrs: set}}
	}
	return &genl.FamilySpec{Name: "test", Version: 1, Ops: []*genl.Operation{op("pause"), op("channels")}}
}()

// TestSwitch: a Switch is an argument of the operations it names only,
// takes a bool, and sets its bit in the flags field beside what Args fill.
func TestSwitch(t *testing.T) {
	b := Binding{Module: "test", Family: switchFamily, Args: map[string]string{"dev": "header.dev_name"},
		Switches: []Switch{
			{Arg: "stats", Path: "header.flags", Bit: "stats", Ops: []string{"pause"}, Doc: "counts"},
			{Arg: "compact", Path: "header.flags", Bit: "compact", Ops: []string{"pause"}},
		}}
	pause, channels := switchFamily.Op("pause"), switchFamily.Op("channels")
	if got := b.keywords(pause); !reflect.DeepEqual(got, []string{"dev", "stats", "compact"}) {
		t.Errorf("pause keywords %v", got)
	}
	if got := b.keywords(channels); !reflect.DeepEqual(got, []string{"dev"}) {
		t.Errorf("channels keywords %v", got)
	}
	if doc := b.doc(pause, b.keywords(pause)); !strings.Contains(doc, "stats=True counts.") {
		t.Errorf("pause doc %q", doc)
	}
	kw := func(pairs ...any) []starlark.Tuple {
		var out []starlark.Tuple
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, starlark.Tuple{starlark.String(pairs[i].(string)), pairs[i+1].(starlark.Value)})
		}
		return out
	}
	for _, tt := range []struct {
		op   *genl.Operation
		kw   []starlark.Tuple
		want schema.Fields
		err  string
	}{
		{pause, kw("stats", starlark.True), schema.Fields{"header": schema.Fields{"dev_name": "v0", "flags": []string{"stats"}}}, ""},
		{pause, kw("stats", starlark.False), schema.Fields{"header": schema.Fields{"dev_name": "v0"}}, ""},
		{pause, kw("stats", starlark.True, "compact", starlark.True),
			schema.Fields{"header": schema.Fields{"dev_name": "v0", "flags": []string{"stats", "compact"}}}, ""},
		{pause, kw("stats", starlark.MakeInt(1)), nil, "test.pause: stats: want a bool, got int"},
		{channels, kw("stats", starlark.True), nil, `test.channels: unexpected keyword argument "stats"`},
	} {
		f, _, err := b.fields("test."+tt.op.Name, tt.op, b.keywords(tt.op), starlark.Tuple{starlark.String("v0")}, tt.kw)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s %v: %v, want %q", tt.op.Name, tt.kw, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(f, tt.want) {
			t.Errorf("%s %v: %#v, %v; want %#v", tt.op.Name, tt.kw, f, err, tt.want)
		}
	}
}

// TestArgsByPath: an argument of Args belongs to the operations whose
// request has its field, through the nests of its path, and the
// arguments come in the order of their names.
func TestArgsByPath(t *testing.T) {
	plain := schema.NewAttrSet("header", schema.Attr{Type: 2, Name: "dev_name", Kind: schema.String})
	withPHY := schema.NewAttrSet("header",
		schema.Attr{Type: 2, Name: "dev_name", Kind: schema.String},
		schema.Attr{Type: 4, Name: "phy_index", Kind: schema.U32})
	op := func(name string, hdr *schema.AttrSet) *genl.Operation {
		set := schema.NewAttrSet(name, schema.Attr{Type: 1, Name: "header", Kind: schema.Nest, Nest: hdr},
			schema.Attr{Type: 2, Name: "fd", Kind: schema.U32})
		return &genl.Operation{Name: name, Cmd: 1, Do: true, Request: &schema.Message{Name: name, Header: genl.Header, Attrs: set}}
	}
	pse, channels := op("pse", withPHY), op("channels", plain)
	b := Binding{Module: "test", Args: map[string]string{
		"dev": "header.dev_name", "phy": "header.phy_index", "path": "fd", "nope": "header.dev_name.x", "gone": "absent.x"}}
	for _, tt := range []struct {
		op   *genl.Operation
		want []string
	}{
		{pse, []string{"dev", "path", "phy"}},
		{channels, []string{"dev", "path"}},
	} {
		if got := b.keywords(tt.op); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s keywords %v, want %v", tt.op.Name, got, tt.want)
		}
	}
}

// TestArgError: a schema error names the argument that fills the field,
// also inside the client's error that wraps it.
func TestArgError(t *testing.T) {
	b := Binding{Module: "test", Args: map[string]string{"dev": "header.dev_name", "phy": "header.phy_index"}}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&schema.FieldError{Path: "header.phy_index", Problem: "want an integer, got a string"}, "phy: want an integer, got a string"},
		{&genetlink.OpError{Family: "ethtool", Op: "pse", Err: &schema.FieldError{Path: "header.phy_index", Problem: "want an integer, got a string"}},
			"ethtool pse: phy: want an integer, got a string"},
		{&genetlink.OpError{Family: "ethtool", Op: "pse", Err: &schema.FieldError{Path: "cfg.pair", Problem: "unknown"}}, "ethtool pse: cfg.pair: unknown"},
		{errors.New("other"), "other"},
	} {
		err := b.argError(tt.err)
		if err.Error() != tt.want {
			t.Errorf("%v: got %q, want %q", tt.err, err, tt.want)
		}
		var fe *schema.FieldError
		if _, isField := tt.err.(*schema.FieldError); (isField || errors.Unwrap(tt.err) != nil) && !errors.As(err, &fe) {
			t.Errorf("%v: the FieldError is lost", tt.err)
		}
	}
}
