package schema_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet/schema"
)

func TestKinds(t *testing.T) {
	tests := []struct {
		k       schema.Kind
		name    string
		size    int
		signed  bool
		integer bool
	}{
		{schema.Invalid, "invalid", 0, false, false},
		{schema.U8, "u8", 1, false, true},
		{schema.U16, "u16", 2, false, true},
		{schema.U32, "u32", 4, false, true},
		{schema.U64, "u64", 8, false, true},
		{schema.S8, "s8", 1, true, true},
		{schema.S16, "s16", 2, true, true},
		{schema.S32, "s32", 4, true, true},
		{schema.S64, "s64", 8, true, true},
		{schema.Uint, "uint", 0, false, true},
		{schema.BE16, "be16", 2, false, true},
		{schema.BE32, "be32", 4, false, true},
		{schema.String, "string", 0, false, false},
		{schema.Binary, "binary", 0, false, false},
		{schema.Flag, "flag", 0, false, false},
		{schema.Addr, "ip address", 0, false, false},
		{schema.Prefix, "ip prefix", 0, false, false},
		{schema.MAC, "mac address", 0, false, false},
		{schema.Nest, "nest", 0, false, false},
		{schema.Array, "array", 0, false, false},
		{schema.Struct, "struct", 0, false, false},
		{schema.Values, "values", 0, false, false},
		{schema.Custom, "custom", 0, false, false},
		{schema.Kind(200), "kind(200)", 0, false, false},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.name {
			t.Errorf("Kind(%d).String() = %q, want %q", tt.k, got, tt.name)
		}
		if got := tt.k.Size(); got != tt.size {
			t.Errorf("%v.Size() = %d, want %d", tt.k, got, tt.size)
		}
		if got := tt.k.Signed(); got != tt.signed {
			t.Errorf("%v.Signed() = %v", tt.k, got)
		}
		if got := tt.k.Integer(); got != tt.integer {
			t.Errorf("%v.Integer() = %v", tt.k, got)
		}
	}
}

func TestAttrSet(t *testing.T) {
	// Declared out of order, with gaps.
	set := schema.NewAttrSet("s",
		schema.Attr{Type: 9, Name: "nine", Kind: schema.U8},
		schema.Attr{Type: 2, Name: "two", Kind: schema.String},
		schema.Attr{Type: 5, Name: "five", Kind: schema.Flag},
	)
	if set.Name != "s" || set.MaxType() != 9 {
		t.Errorf("Name %q, MaxType %d", set.Name, set.MaxType())
	}
	var names []string
	for _, a := range set.Attrs() {
		names = append(names, a.Name)
	}
	if !reflect.DeepEqual(names, []string{"two", "five", "nine"}) {
		t.Errorf("Attrs() = %v, want wire order", names)
	}
	for _, tt := range []struct {
		typ  uint16
		name string
	}{{2, "two"}, {5, "five"}, {9, "nine"}, {0, ""}, {3, ""}, {10, ""}, {0xffff, ""}} {
		a := set.ByType(tt.typ)
		if (a == nil) != (tt.name == "") || (a != nil && a.Name != tt.name) {
			t.Errorf("ByType(%d) = %v, want %q", tt.typ, a, tt.name)
		}
		if tt.name != "" && set.ByName(tt.name) != a {
			t.Errorf("ByName(%q) differs from ByType(%d)", tt.name, tt.typ)
		}
	}
	if set.ByName("Two") != nil || set.ByName("") != nil {
		t.Error("ByName is exact")
	}
	empty := schema.NewAttrSet("empty")
	if empty.MaxType() != 0 || len(empty.Attrs()) != 0 || empty.ByType(0) != nil {
		t.Error("an empty set")
	}

	panics := []struct {
		name  string
		attrs []schema.Attr
		msg   string
	}{
		{"duplicate type", []schema.Attr{{Type: 1, Name: "a", Kind: schema.U8}, {Type: 1, Name: "b", Kind: schema.U8}}, "attribute type 1 declared twice"},
		{"duplicate name", []schema.Attr{{Type: 1, Name: "a", Kind: schema.U8}, {Type: 2, Name: "a", Kind: schema.U8}}, `attribute name "a" declared twice`},
		{"no name", []schema.Attr{{Type: 1, Kind: schema.U8}}, "attribute 1 has no name or kind"},
		{"no kind", []schema.Attr{{Type: 3, Name: "a"}}, "attribute 3 has no name or kind"},
	}
	for _, tt := range panics {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, "schema bad: "+tt.msg) {
					t.Errorf("%s: panic %v, want %q", tt.name, r, tt.msg)
				}
			}()
			schema.NewAttrSet("bad", tt.attrs...)
		}()
	}
}

func TestStructDefField(t *testing.T) {
	if f := synHdr.Field("table"); f == nil || f.Offset != 2 {
		t.Errorf("Field(table) = %v", f)
	}
	if f := synHdr.Field("dst_len"); f == nil || !f.Hidden {
		t.Errorf("a hidden field is found by name: %v", f)
	}
	if synHdr.Field("nosuch") != nil || synHdr.Field("Table") != nil {
		t.Error("Field is exact")
	}
	if synMsg.HeaderLen() != 10 {
		t.Errorf("HeaderLen() = %d", synMsg.HeaderLen())
	}
	if (&schema.Message{Name: "x", Attrs: synInfo}).HeaderLen() != 0 {
		t.Error("HeaderLen of a message without a header")
	}
}

func TestSynEnum(t *testing.T) {
	if n, ok := synState.NameOf(2); n != "reachable" || !ok {
		t.Errorf("NameOf(2) = %q, %v", n, ok)
	}
	if n, ok := synState.NameOf(3); n != "" || ok {
		t.Errorf("NameOf(3) = %q, %v", n, ok)
	}
	for _, in := range []string{"reachable", "REACHABLE", "Reachable", "rEaChAbLe"} {
		if v, ok := synState.Value(in); v != 2 || !ok {
			t.Errorf("Value(%q) = %d, %v", in, v, ok)
		}
	}
	for _, in := range []string{"", "reach", "reachable ", "2"} {
		if v, ok := synState.Value(in); ok {
			t.Errorf("Value(%q) = %d, want none", in, v)
		}
	}
	if got := synState.Names(); !reflect.DeepEqual(got, []string{"incomplete", "reachable", "stale", "permanent"}) {
		t.Errorf("Names() = %v, want value order", got)
	}
	if got := synTable.Names(); !reflect.DeepEqual(got, []string{"unspec", "default", "main", "local"}) {
		t.Errorf("Names() = %v", got)
	}
	if synState.Name != "syn_state" {
		t.Errorf("Name = %q", synState.Name)
	}

	bits := []struct {
		v    uint64
		want []string
	}{
		{0, []string{}},
		{1, []string{"secondary"}},
		{3, []string{"secondary", "nodad"}},
		{0x103, []string{"secondary", "nodad", "permanent"}},
		{0x3000, []string{"mask"}},
		{0x1000, []string{"0x1000"}}, // half a mask is no name
		{0x3001, []string{"secondary", "mask"}},
		{0x4, []string{"0x4"}},
		{0x18 | 2, []string{"nodad", "0x18"}},
		{1 << 63, []string{"0x8000000000000000"}},
		{^uint64(0), []string{"secondary", "nodad", "permanent", "mask", "0xffffffffffffcefc"}},
	}
	for _, tt := range bits {
		got := synFlags.BitNames(tt.v)
		if got == nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("BitNames(%#x) = %#v, want %#v", tt.v, got, tt.want)
		}
	}
	// A zero value in a flag enum is not a bit.
	z := schema.NewEnum("z", map[uint64]string{0: "none", 1: "one"})
	if got := z.BitNames(0); len(got) != 0 {
		t.Errorf("BitNames(0) with a zero name = %v", got)
	}
	if got := z.BitNames(1); !reflect.DeepEqual(got, []string{"one"}) {
		t.Errorf("BitNames(1) = %v", got)
	}
}

func TestSynFieldNamesAndHelp(t *testing.T) {
	want := []string{
		"family", "table", "hflags", "ifindex", "port", // visible header fields, dst_len hidden
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uint", "be16", "be32",
		"name", "blob", "on", "local", "address", "dst", "lladdr", "state", "flags",
		"kind", "data", "info", "ports", "stats", "counters", "alias",
		"ro", "legacy", "nbo", "labels", "prio", "addrs", "last", "stacks",
		"double",
	}
	got := synMsg.FieldNames()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FieldNames() =\n%v\nwant\n%v", got, want)
	}
	if again := synMsg.FieldNames(); &again[0] != &got[0] {
		t.Error("FieldNames is not cached")
	}

	help := synMsg.Help()
	lines := strings.Split(strings.TrimSuffix(help, "\n"), "\n")
	if lines[0] != "syn: a synthetic object with every kind" {
		t.Errorf("first line %q", lines[0])
	}
	count := map[string]int{}
	label := map[string]string{}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "  ") {
			t.Errorf("help line %q is not indented", l)
		}
		f := strings.Fields(l)
		count[f[0]]++
		if len(f) > 1 {
			label[f[0]] = f[1]
		}
	}
	for _, n := range want {
		if count[n] != 1 {
			t.Errorf("help lists %q %d times:\n%s", n, count[n], help)
		}
	}
	if len(count) != len(want) {
		t.Errorf("help lists %d fields, want %d:\n%s", len(count), len(want), help)
	}
	for name, l := range map[string]string{
		"family": "syn_family", "hflags": "[syn_hdr_flags]", "ifindex": "s32", "port": "be16",
		"u8": "u8", "state": "syn_state", "flags": "[syn_flags]", "info": "syn_info", "legacy": "syn_info",
		"stats": "syn_stats", "alias": "[string]", "ports": "[array]", "addrs": "[array]",
		"dst": "ip", "lladdr": "mac", "labels": "custom", "double": "computed", "table": "syn_table",
	} {
		if label[name] != l {
			t.Errorf("help labels %s %q, want %q", name, label[name], l)
		}
	}
	for _, doc := range []string{"address family", "a u32", "twice u32", "table, any number"} {
		if !strings.Contains(help, doc) {
			t.Errorf("help lacks the doc %q:\n%s", doc, help)
		}
	}
	if strings.Contains(help, "dst_len") {
		t.Errorf("help lists a hidden field:\n%s", help)
	}
}

func TestFamily(t *testing.T) {
	a := &schema.Object{Message: synMsg, New: 1, Del: 2, Get: 3, Names: map[uint16]string{1: "NEW_SYN", 2: "DEL_SYN", 3: "GET_SYN"}}
	b := &schema.Object{Message: &schema.Message{Name: "conf", Attrs: synInfo}, Reports: 5, Get: 6, Set: 7,
		Names: map[uint16]string{5: "NEW_CONF", 6: "GET_CONF"}}
	fam := &schema.Family{Name: "syn", Objects: []*schema.Object{a, b}, TypeNames: map[uint16]string{1: "OVERRIDE", 99: "DONE"}}

	if fam.Object("syn") != a || fam.Object("conf") != b || fam.Object("nosuch") != nil {
		t.Error("Object by name")
	}
	if a.Name() != "syn" || a.TypeName(2) != "DEL_SYN" || a.TypeName(9) != "" {
		t.Error("Object names")
	}
	tests := []struct {
		typ uint16
		obj *schema.Object
		act schema.Action
	}{
		{1, a, schema.ActionNew},
		{2, a, schema.ActionDel},
		{3, a, schema.ActionGet},
		{5, b, schema.ActionNew},
		{6, b, schema.ActionGet},
		{7, b, schema.ActionSet},
		{4, nil, schema.ActionNone},
		{99, nil, schema.ActionNone},
	}
	for _, tt := range tests {
		if o, act := fam.ByType(tt.typ); o != tt.obj || act != tt.act {
			t.Errorf("ByType(%d) = %v, %v; want %v, %v", tt.typ, o, act, tt.obj, tt.act)
		}
	}
	for typ, want := range map[uint16]string{1: "OVERRIDE", 2: "DEL_SYN", 5: "NEW_CONF", 7: "", 99: "DONE", 4: ""} {
		if got := fam.TypeName(typ); got != want {
			t.Errorf("TypeName(%d) = %q, want %q", typ, got, want)
		}
	}
	for act, want := range map[schema.Action]string{schema.ActionNone: "none", schema.ActionNew: "new", schema.ActionDel: "del", schema.ActionGet: "get", schema.ActionSet: "set"} {
		if act.String() != want {
			t.Errorf("Action(%d).String() = %q", act, act.String())
		}
	}
}
