package genl

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"
)

// TestRawMessage reads hand-made bytes: genlmsghdr (cmd 3, version 2),
// then a u16 attribute 1 (0x1234), a string attribute 2 ("eth") and a nest
// 6 holding a u32 attribute 1 (7).
func TestRawMessage(t *testing.T) {
	b := []byte{
		3, 2, 0, 0,
		6, 0, 1, 0, 0x34, 0x12, 0, 0,
		8, 0, 2, 0, 'e', 't', 'h', 0,
		12, 0, 6, 0x80, 8, 0, 1, 0, 7, 0, 0, 0,
	}
	m, err := NewMessage(b)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		expr, want string
	}{
		{"m.cmd", "3"},
		{"m.version", "2"},
		{"len(m.attrs)", "3"},
		{"m.get(1).u16", "4660"},
		{"m.get(1).be16", "13330"},
		{"m.get(2).string", `"eth"`},
		{"m.get(6).nested", "True"},
		{"m.get(6).get(1).u32", "7"},
		{"m.get(6).attrs[0].type", "1"},
		{"m.get(9)", "None"},
		{"m.get(2).data", `b"eth\x00"`},
	}
	for _, tc := range tests {
		v, err := starlark.Eval(&starlark.Thread{}, "t", tc.expr, starlark.StringDict{"m": m})
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if got := v.String(); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
	if _, err := starlark.Eval(&starlark.Thread{}, "t", "m.get(1).u32", starlark.StringDict{"m": m}); err == nil || !strings.Contains(err.Error(), "genl.attr 1") {
		t.Errorf("a u16 read as u32: error %v, want one naming genl.attr 1", err)
	}
	if _, err := NewMessage(b[:3]); err == nil {
		t.Error("a 3-byte message decoded")
	}
	if _, err := NewMessage(append(b[:4:4], 9, 0, 1, 0)); err == nil {
		t.Error("an attribute longer than the message decoded")
	}
}

// FuzzRawMessage reads arbitrary bytes as a message without a schema and
// every attribute every way, nested ones too: nothing may panic.
func FuzzRawMessage(f *testing.F) {
	f.Add([]byte{3, 2, 0, 0, 6, 0, 1, 0, 0x34, 0x12, 0, 0, 12, 0, 6, 0x80, 8, 0, 1, 0, 7, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := NewMessage(b)
		if err != nil {
			return
		}
		_ = m.String()
		var walk func(l starlark.Value, depth int)
		walk = func(l starlark.Value, depth int) {
			list, err := l.(starlark.HasAttrs).Attr("attrs")
			if err != nil || depth > 4 {
				return
			}
			for i := range list.(*starlark.List).Len() {
				a := list.(*starlark.List).Index(i).(*Attr)
				for _, name := range attrFields {
					_, _ = a.Attr(name)
				}
				walk(a, depth+1)
			}
		}
		walk(m, 0)
	})
}

func TestRawMessageJSON(t *testing.T) {
	m, err := NewMessage([]byte{4, 1, 0, 0, 6, 0, 1, 0, 0xab, 0xcd, 0, 0, 8, 0, 2, 0x80, 4, 0, 1, 0})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"cmd":4,"version":1,"attrs":[{"type":1,"data":"abcd"},{"type":2,"nested":true,"data":"04000100"}]}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
}
