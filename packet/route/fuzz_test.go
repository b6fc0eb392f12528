package route_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// FuzzRouteDecode decodes the input as the payload of a message of every
// object of the route family — route.Family.Objects, read when the test
// runs, so objects added later are covered — reads every field down every
// nest and list, and encodes the JSON. It must never panic; the JSON must
// be valid; a View reused from the previous object must read the same as
// a fresh one.
func FuzzRouteDecode(f *testing.F) {
	for _, seed := range fzSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var reused schema.View
		for _, obj := range route.Family.Objects {
			m := obj.Message
			v, err := schema.Decode(m, b)
			if err != nil {
				if len(b) >= m.HeaderLen() {
					t.Fatalf("%s: Decode of %d bytes: %v", obj.Name(), len(b), err)
				}
				continue
			}
			fzWalk(t, obj.Name(), v, 0)
			j, err := v.MarshalJSON()
			if err != nil || !json.Valid(j) {
				t.Fatalf("%s: MarshalJSON = %s, %v", obj.Name(), j, err)
			}
			if err := reused.Reset(m, b); err != nil {
				t.Fatalf("%s: Reset: %v", obj.Name(), err)
			}
			if j2, _ := reused.MarshalJSON(); !bytes.Equal(j, j2) {
				t.Fatalf("%s: a reused View reads\n%s\na fresh one\n%s", obj.Name(), j2, j)
			}
		}
	})
}

// fzWalk reads every field of v, recursively, and checks that Fields and
// Get agree and that no name is listed twice.
func fzWalk(t *testing.T, where string, v *schema.View, depth int) {
	if depth > 32 {
		return
	}
	seen := map[string]bool{}
	v.Fields(func(f schema.FieldValue) bool {
		if seen[f.Name] {
			t.Fatalf("%s: field %q listed twice", where, f.Name)
		}
		seen[f.Name] = true
		if _, ok, err := v.Get(f.Name); (err == nil) != (f.Err == nil) || (err == nil && !ok) {
			t.Fatalf("%s.%s: Get = %v, %v; Fields said %v", where, f.Name, ok, err, f.Err)
		}
		fzValue(t, where+"."+f.Name, f.Value, depth+1)
		return true
	})
	_ = v.Err()
	_ = v.Unknown()
}

func fzValue(t *testing.T, where string, val any, depth int) {
	switch x := val.(type) {
	case *schema.View:
		fzWalk(t, where, x, depth)
	case []any:
		for _, el := range x {
			fzValue(t, where+"[]", el, depth+1)
		}
	}
}

// fzSeeds is the starting corpus: addresses encoded by route.Addr's
// schema, a few encoded links and routes, the kernel captures under
// testdata, and for every object hand-built messages of its header size
// with a couple of attributes, and messages with a plausible value for
// every attribute, one per sub-message kind.
func fzSeeds(tb testing.TB) [][]byte {
	var seeds [][]byte
	encode := func(m *schema.Message, f schema.Fields) {
		var e packet.Encoder
		if err := m.Encode(&e, 1, 0, f); err != nil {
			tb.Fatalf("seed %s %v: %v", m.Name, f, err)
		}
		seeds = append(seeds, e.Bytes()[packet.HeaderLen:])
	}
	for _, f := range []schema.Fields{
		{"family": "inet", "prefixlen": 24, "ifindex": 2, "scope": "global", "local": "10.0.0.1", "address": "10.0.0.1",
			"broadcast": "10.0.0.255", "label": "eth0", "flags": []string{"permanent"}, "metric": 5, "proto": "kernel_lo",
			"cacheinfo": schema.Fields{"preferred_life_time": 100, "valid_life_time": 200}},
		{"family": "inet6", "prefixlen": 64, "ifindex": 3, "scope": "link", "address": "fe80::1", "flags": []string{"nodad", "permanent"}},
		{"family": "inet", "prefixlen": 32, "local": "192.0.2.1", "address": "192.0.2.2", "anycast": "192.0.2.3", "multicast": "224.0.0.1"},
		{},
	} {
		encode(route.Addr.Message, f)
	}
	for _, f := range []schema.Fields{
		{"ifname": "x", "linkinfo": schema.Fields{"info_kind": "veth", "info_data": schema.Fields{"peer": schema.Fields{"ifname": "y"}}}},
		{"family": unix.AF_INET, "dst": "10.0.0.0/8", "nexthops": []any{schema.Fields{"gateway": "10.0.0.1", "ifindex": 1}}},
		{"family": unix.AF_INET6, "dst": "::/0", "encap": "seg6", "encap_data": schema.Fields{"srh": schema.Fields{"mode": "encap", "segs": []any{"2001:db8::1"}}}},
	} {
		for _, m := range []*schema.Message{route.Link.Message, route.Route.Message} {
			var e packet.Encoder
			if m.Encode(&e, 1, 0, f) == nil {
				seeds = append(seeds, e.Bytes()[packet.HeaderLen:])
			}
		}
	}
	seeds = append(seeds, fzCaptures(tb)...)
	for _, obj := range route.Family.Objects {
		m := obj.Message
		for _, family := range []byte{unix.AF_INET, unix.AF_INET6, unix.AF_BRIDGE} {
			hdr := make([]byte, m.HeaderLen())
			if len(hdr) > 0 {
				hdr[0] = family
			}
			e := packet.NewEncoder(nil)
			e.Append(hdr)
			e.Uint32(1, 1)
			e.String(2, "eth0")
			n := e.BeginNested(3)
			e.Uint32(1, 2)
			e.EndNested(n)
			seeds = append(seeds, e.Bytes())
		}
		for variant := range max(2, fzMaxKeys(m.Attrs, 0, map[*schema.AttrSet]bool{})) {
			seeds = append(seeds, fzSynthMessage(m, variant))
		}
	}
	seeds = append(seeds, nil, []byte{}, make([]byte, 64))
	return seeds
}

// fzCaptures reads the kernel's replies under testdata and ../testdata:
// a few messages of each file.
func fzCaptures(tb testing.TB) [][]byte {
	var out [][]byte
	for _, dir := range []string{"testdata", filepath.Join("..", "testdata")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.hex"))
		for _, name := range files {
			if strings.HasSuffix(name, ".req.hex") {
				continue
			}
			fh, err := os.Open(name)
			if err != nil {
				tb.Fatal(err)
			}
			sc := bufio.NewScanner(fh)
			sc.Buffer(nil, 1<<20)
			n := 0
			for sc.Scan() && n < 6 {
				line := strings.TrimSpace(sc.Text())
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				b, err := hex.DecodeString(line)
				if err != nil {
					continue
				}
				for s := packet.NewMessageScanner(b); s.Next() && n < 6; {
					if msg := s.Message(); msg.Header.Type >= unix.NLMSG_MIN_TYPE {
						out = append(out, msg.Data)
						n++
					}
				}
			}
			fh.Close()
		}
	}
	return out
}

// fzMaxKeys is the largest number of kinds any sub-message under set has.
func fzMaxKeys(set *schema.AttrSet, depth int, seen map[*schema.AttrSet]bool) int {
	if set == nil || seen[set] || depth > 6 {
		return 0
	}
	seen[set] = true
	n := 0
	for _, a := range set.Attrs() {
		if a.Sub != nil {
			n = max(n, len(a.Sub.Sets)+len(a.Sub.Structs))
			for _, s := range a.Sub.Sets {
				n = max(n, fzMaxKeys(s, depth+1, seen))
			}
		}
		n = max(n, fzMaxKeys(a.Nest, depth+1, seen))
		if a.Elem != nil {
			n = max(n, fzMaxKeys(a.Elem.Nest, depth+1, seen))
		}
	}
	return n
}

// fzSynthMessage builds a payload of m with a plausible value for every
// attribute; variant picks the kind of each sub-message and the address
// family.
func fzSynthMessage(m *schema.Message, variant int) []byte {
	hdr := make([]byte, m.HeaderLen())
	if m.Header != nil {
		family := "inet"
		if variant%2 == 1 {
			family = "inet6"
		}
		_ = m.Header.Encode(hdr, schema.Fields{"family": family})
	}
	attrs := packet.NewEncoder(nil)
	fzSynthSet(attrs, m.Attrs, variant, 0, hdr, m.Header)
	e := packet.NewEncoder(nil)
	e.Append(hdr)
	e.Append(attrs.Bytes())
	return e.Bytes()
}

func fzKeys(sub *schema.SubMessage) []string {
	var keys []string
	for k := range sub.Sets {
		keys = append(keys, k)
	}
	for k := range sub.Structs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func fzSynthSet(e *packet.Encoder, set *schema.AttrSet, variant, depth int, hdr []byte, def *schema.StructDef) {
	// The kind each sub-message of this set gets, by its selector.
	sel := map[string]string{}
	for _, a := range set.Attrs() {
		if a.Sub != nil {
			if keys := fzKeys(a.Sub); len(keys) > 0 {
				sel[a.Sub.Selector] = keys[variant%len(keys)]
			}
		}
	}
	for name, key := range sel {
		if set.ByName(name) == nil && def != nil && def.Field(name) != nil {
			_ = def.Encode(hdr, schema.Fields{name: key})
		}
	}
	for _, a := range set.Attrs() {
		if key, ok := sel[a.Name]; ok && set.Encode(e, schema.Fields{a.Name: key}) == nil {
			continue
		}
		fzSynthAttr(e, a, a.Type, variant, depth, sel)
		if a.Multi {
			fzSynthAttr(e, a, a.Type, variant+1, depth, sel)
		}
	}
}

func fzSynthAttr(e *packet.Encoder, a *schema.Attr, typ uint16, variant, depth int, sel map[string]string) {
	if a.Kind.Integer() {
		size := a.Kind.Size()
		if size == 0 {
			size = 4
		}
		b := make([]byte, size)
		b[0] = byte(1 + variant)
		e.Attr(typ, b)
		return
	}
	switch a.Kind {
	case schema.String:
		e.String(typ, "x0")
	case schema.Binary:
		e.Attr(typ, []byte{1, 2, 3})
	case schema.Flag:
		e.Flag(typ)
	case schema.Addr, schema.Prefix:
		if variant%2 == 0 {
			e.Attr(typ, []byte{10, 0, 0, 1})
		} else {
			e.Attr(typ, []byte{0x20, 0x01, 0x0d, 0xb8, 15: 1})
		}
	case schema.MAC:
		e.Attr(typ, []byte{2, 0, 0, 0, 0, 1})
	case schema.Nest:
		n := e.BeginNested(typ)
		if depth < 5 {
			set := a.Nest
			var def *schema.StructDef
			if a.Sub != nil {
				set, def = a.Sub.Sets[sel[a.Sub.Selector]], a.Sub.Structs[sel[a.Sub.Selector]]
			}
			switch {
			case set != nil:
				fzSynthSet(e, set, variant, depth+1, nil, nil)
			case def != nil:
				e.Append(make([]byte, def.Size))
			default:
				e.Uint32(1, 1)
			}
		}
		e.EndNested(n)
	case schema.Array:
		n := e.BeginNested(typ)
		if depth < 5 {
			for i := uint16(1); i <= 2; i++ {
				fzSynthAttr(e, a.Elem, i, variant, depth+1, nil)
			}
		}
		e.EndNested(n)
	case schema.Struct:
		b := make([]byte, a.Struct.Size)
		for i := range b {
			b[i] = byte(i)
		}
		e.Attr(typ, b)
	case schema.Values:
		e.Attr(typ, make([]byte, 2*max(1, a.Elem.Kind.Size())))
	default: // Custom: some bytes a codec may or may not take
		e.Attr(typ, make([]byte, 8+4*(variant%3)))
	}
}
