package schema

import (
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/nlsh/nlsh/packet"
)

// Fields holds the values of an object to encode, keyed by field name.
// Values are plain Go values:
//   - integers: any Go integer type, or an enum's name as a string;
//   - flags: a []string of bit names, or an integer;
//   - strings: string;
//   - addresses and prefixes: netip.Addr, netip.Prefix or their text;
//     a Prefix also accepts "default" for the zero-length prefix;
//   - MAC addresses: net.HardwareAddr or "aa:bb:cc:dd:ee:ff";
//   - flags attributes: bool;
//   - binary: []byte;
//   - nests and structs: Fields;
//   - arrays, multi-attributes and Values: []any.
type Fields map[string]any

// FieldError reports a field that could not be encoded: an unknown name or
// a value of the wrong type or range.
type FieldError struct {
	// Path is the field's dotted name, e.g. "linkinfo.info_kind".
	Path string
	// Problem says what was wrong.
	Problem string
	// Suggest is the closest known name, for an unknown one.
	Suggest string
}

func (e *FieldError) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Path, e.Problem)
	if e.Suggest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggest)
	}
	return msg
}

// Encode appends one message of this kind to e: an nlmsghdr with typ and
// flags, the fixed header filled from the fields that name header fields,
// and the attributes from the rest, in wire-type order. A name that is both
// a header field and an attribute (a route's table) fills both, the header
// only when the value fits in it.
func (m *Message) Encode(e *packet.Encoder, typ, flags uint16, f Fields) error {
	if err := m.check(f); err != nil {
		return err
	}
	e.BeginMessage(typ, flags)
	if m.Header != nil {
		hdr := e.Grow(m.Header.Size)
		if err := encodeStruct(m.Header, hdr, f, m.Attrs, ""); err != nil {
			return err
		}
		if err := m.prefixLengths(hdr, f); err != nil {
			return err
		}
	}
	if err := encodeSet(e, m.Attrs, f, "", m.Header); err != nil {
		return err
	}
	e.EndMessage()
	return e.Err()
}

// check rejects names that are neither header fields nor attributes.
func (m *Message) check(f Fields) error {
	for name := range f {
		if m.Attrs.ByName(name) != nil || (m.Header != nil && m.Header.Field(name) != nil) {
			continue
		}
		if _, raw := rawName(name); raw {
			continue
		}
		return &FieldError{Path: name, Problem: "unknown field of " + m.Name, Suggest: Suggest(name, m.FieldNames())}
	}
	return nil
}

// prefixLengths writes the length of each Prefix attribute into the header
// field that carries it, unless that field was given explicitly.
func (m *Message) prefixLengths(hdr []byte, f Fields) error {
	for _, a := range m.Attrs.Attrs() {
		if a.Kind != Prefix {
			continue
		}
		val, ok := f[a.Name]
		if !ok {
			continue
		}
		if _, given := f[a.PrefixLen]; given {
			continue
		}
		fld := m.Header.Field(a.PrefixLen)
		if fld == nil {
			continue
		}
		p, isDefault, err := toPrefix(val)
		if err != nil {
			return &FieldError{Path: a.Name, Problem: err.Error()}
		}
		bits := 0
		if !isDefault {
			bits = p.Bits()
		}
		putInt(fld.Kind, hdr[fld.Offset:], uint64(bits))
	}
	return nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// encodeStruct fills b from the fields of f that def names. Fields that
// also name an attribute of set are written only when they fit.
func encodeStruct(def *StructDef, b []byte, f Fields, set *AttrSet, path string) error {
	for _, fld := range def.Fields {
		val, ok := f[fld.Name]
		if !ok {
			continue
		}
		p := join(path, fld.Name)
		shared := set != nil && set.ByName(fld.Name) != nil
		switch fld.Kind {
		case Addr, MAC, Binary, String:
			raw, err := fixedBytes(fld.Kind, val, fld.Len)
			if err != nil {
				return &FieldError{Path: p, Problem: err.Error()}
			}
			copy(b[fld.Offset:fld.Offset+fld.Len], raw)
			continue
		}
		u, err := toInt(fld.Kind, val, fld.Enum, fld.Flags)
		if err != nil {
			if shared {
				continue // the attribute reports it
			}
			return &FieldError{Path: p, Problem: err.Error()}
		}
		if !fits(fld.Kind, u) {
			if shared {
				continue
			}
			return &FieldError{Path: p, Problem: fmt.Sprintf("%d does not fit in %s", int64(u), fld.Kind)}
		}
		putInt(fld.Kind, b[fld.Offset:], u)
	}
	return nil
}

func encodeSet(e *packet.Encoder, set *AttrSet, f Fields, path string, hdr *StructDef) error {
	if hdr == nil {
		for name := range f {
			if set.ByName(name) == nil {
				if _, raw := rawName(name); !raw {
					return &FieldError{Path: join(path, name), Problem: "unknown field of " + set.Name, Suggest: Suggest(name, setNames(set))}
				}
			}
		}
	}
	// The attributes f names, in wire-type order: walking f rather than
	// the whole set keeps encoding proportional to what is sent.
	var buf [16]*Attr
	attrs := buf[:0]
	for name, val := range f {
		if a := set.ByName(name); a != nil && val != nil {
			attrs = append(attrs, a)
		}
	}
	slices.SortFunc(attrs, func(a, b *Attr) int { return int(a.Type) - int(b.Type) })
	for _, a := range attrs {
		val := f[a.Name]
		p := join(path, a.Name)
		if a.ReadOnly {
			return &FieldError{Path: p, Problem: "is reported by the kernel and cannot be set"}
		}
		if a.Multi {
			list, ok := val.([]any)
			if !ok {
				return &FieldError{Path: p, Problem: fmt.Sprintf("want a list, got %T", val)}
			}
			for i, el := range list {
				if err := encodeAttr(e, a, el, fmt.Sprintf("%s[%d]", p, i), f); err != nil {
					return err
				}
			}
			continue
		}
		if err := encodeAttr(e, a, val, p, f); err != nil {
			return err
		}
	}
	// Raw attributes by number, for fields the schema does not know.
	var raws []string
	for name := range f {
		if _, raw := rawName(name); raw && set.ByName(name) == nil {
			raws = append(raws, name)
		}
	}
	slices.Sort(raws)
	for _, name := range raws {
		t, _ := rawName(name)
		b, ok := f[name].([]byte)
		if !ok {
			return &FieldError{Path: join(path, name), Problem: fmt.Sprintf("a raw attribute wants bytes, got %T", f[name])}
		}
		e.Attr(t, b)
	}
	return nil
}

// Encode appends the attributes f holds for this set to e, in wire-type
// order. Family codecs use it to write the attributes inside a layout of
// their own, such as each hop of a multipath route.
func (s *AttrSet) Encode(e *packet.Encoder, f Fields) error { return encodeSet(e, s, f, "", nil) }

// Encode fills b, at least d.Size bytes, from the fields f names; f may
// hold other names too, which are ignored.
func (d *StructDef) Encode(b []byte, f Fields) error { return encodeStruct(d, b, f, nil, "") }

func setNames(set *AttrSet) []string {
	var names []string
	for _, a := range set.Attrs() {
		names = append(names, a.Name)
	}
	return names
}

func encodeAttr(e *packet.Encoder, a *Attr, val any, path string, siblings Fields) error {
	typ := a.Type
	if a.NetByteOrder {
		typ |= 0x4000
	}
	fail := func(err error) error { return &FieldError{Path: path, Problem: err.Error()} }
	if a.Kind.Integer() {
		k := a.Kind
		if k == Uint {
			k = U64
		}
		u, err := toInt(k, val, a.Enum, a.Flags)
		if err != nil {
			return fail(err)
		}
		if !fits(k, u) {
			return fail(fmt.Errorf("%d does not fit in %s", int64(u), a.Kind))
		}
		if a.Kind == Uint && u <= math.MaxUint32 {
			k = U32
		}
		if a.NetByteOrder {
			// NLA_F_NET_BYTEORDER promises a big-endian payload.
			switch k {
			case U16, S16:
				k = BE16
			case U32, S32:
				k = BE32
			case U64, S64:
				var b [8]byte
				binary.BigEndian.PutUint64(b[:], u)
				e.Attr(typ, b[:])
				return nil
			}
		}
		var b [8]byte
		putInt(k, b[:], u)
		e.Attr(typ, b[:k.Size()])
		return nil
	}
	switch a.Kind {
	case String:
		s, ok := val.(string)
		if !ok {
			return fail(fmt.Errorf("want a string, got %T", val))
		}
		if strings.IndexByte(s, 0) >= 0 {
			return fail(fmt.Errorf("a string cannot hold a NUL byte"))
		}
		e.String(typ, s)
	case Binary:
		b, ok := val.([]byte)
		if !ok {
			s, isStr := val.(string)
			if !isStr {
				return fail(fmt.Errorf("want bytes, got %T", val))
			}
			b = []byte(s)
		}
		e.Attr(typ, b)
	case Flag:
		on, ok := val.(bool)
		if !ok {
			return fail(fmt.Errorf("want a bool, got %T", val))
		}
		if on {
			e.Flag(typ)
		}
	case Addr:
		ip, err := ParseAddr(val)
		if err != nil {
			return fail(err)
		}
		if a.IPv6Type != 0 {
			if ip = ip.Unmap(); !ip.Is4() {
				typ, ip = a.IPv6Type, ip.WithZone("")
			}
		}
		e.Addr(typ, ip)
	case Prefix:
		p, isDefault, err := toPrefix(val)
		if err != nil {
			return fail(err)
		}
		if !isDefault {
			e.Addr(typ, p.Addr())
		}
	case MAC:
		mac, err := toMAC(val)
		if err != nil {
			return fail(err)
		}
		e.HardwareAddr(typ, mac)
	case Struct:
		f, ok := val.(Fields)
		if !ok {
			return fail(fmt.Errorf("want fields of %s, got %T", a.Struct.Name, val))
		}
		b := make([]byte, a.Struct.Size)
		if err := encodeStruct(a.Struct, b, f, nil, path); err != nil {
			return err
		}
		for name := range f {
			if a.Struct.Field(name) == nil {
				return &FieldError{Path: join(path, name), Problem: "unknown field of " + a.Struct.Name}
			}
		}
		e.Attr(typ, b)
	case Nest:
		f, ok := val.(Fields)
		if !ok {
			return fail(fmt.Errorf("want fields of %s, got %T", a.Name, val))
		}
		set := a.Nest
		if a.Sub != nil {
			sel, _ := siblings[a.Sub.Selector].(string)
			if def := a.Sub.Structs[sel]; def != nil {
				b := make([]byte, def.Size)
				if err := encodeStruct(def, b, f, nil, path); err != nil {
					return err
				}
				for name := range f {
					if def.Field(name) == nil {
						return &FieldError{Path: join(path, name), Problem: "unknown field of " + def.Name}
					}
				}
				e.Attr(typ, b)
				return nil
			}
			set = a.Sub.Sets[sel]
			if set == nil {
				return fail(fmt.Errorf("no attributes are known for %s %q", a.Sub.Selector, sel))
			}
		}
		n := nest(e, a, typ)
		if err := encodeSet(e, set, f, path, nil); err != nil {
			return err
		}
		e.EndNested(n)
	case Array:
		list, ok := val.([]any)
		if !ok {
			return fail(fmt.Errorf("want a list, got %T", val))
		}
		n := nest(e, a, typ)
		for i, el := range list {
			elem := *a.Elem
			elem.Type = uint16(i + 1)
			if err := encodeAttr(e, &elem, el, fmt.Sprintf("%s[%d]", path, i), nil); err != nil {
				return err
			}
		}
		e.EndNested(n)
	case Values:
		list, ok := val.([]any)
		if !ok {
			return fail(fmt.Errorf("want a list, got %T", val))
		}
		size := a.Elem.Kind.Size()
		b := make([]byte, size*len(list))
		for i, el := range list {
			u, err := toInt(a.Elem.Kind, el, a.Elem.Enum, a.Elem.Flags)
			if err == nil && !fits(a.Elem.Kind, u) {
				err = fmt.Errorf("%d does not fit in %s", int64(u), a.Elem.Kind)
			}
			if err != nil {
				return &FieldError{Path: fmt.Sprintf("%s[%d]", path, i), Problem: err.Error()}
			}
			putInt(a.Elem.Kind, b[i*size:], u)
		}
		e.Attr(typ, b)
	case Custom:
		if err := a.Codec.Encode(e, typ, val); err != nil {
			return fail(err)
		}
	default:
		return fail(fmt.Errorf("kind %v cannot be encoded", a.Kind))
	}
	return nil
}

func nest(e *packet.Encoder, a *Attr, typ uint16) packet.Nest {
	if a.NoNestedFlag {
		return e.BeginNestedRaw(typ)
	}
	return e.BeginNested(typ)
}

func putInt(k Kind, b []byte, u uint64) {
	switch k {
	case U8, S8:
		b[0] = uint8(u)
	case U16, S16:
		binary.NativeEndian.PutUint16(b, uint16(u))
	case U32, S32:
		binary.NativeEndian.PutUint32(b, uint32(u))
	case U64, S64:
		binary.NativeEndian.PutUint64(b, u)
	case BE16:
		binary.BigEndian.PutUint16(b, uint16(u))
	case BE32:
		binary.BigEndian.PutUint32(b, uint32(u))
	}
}

// fits reports whether u (a two's-complement value for signed kinds) fits
// in k.
func fits(k Kind, u uint64) bool {
	switch k {
	case U8:
		return u <= math.MaxUint8
	case U16, BE16:
		return u <= math.MaxUint16
	case U32, BE32:
		return u <= math.MaxUint32
	case S8:
		return int64(u) >= math.MinInt8 && int64(u) <= math.MaxInt8
	case S16:
		return int64(u) >= math.MinInt16 && int64(u) <= math.MaxInt16
	case S32:
		return int64(u) >= math.MinInt32 && int64(u) <= math.MaxInt32
	}
	return true
}

// toInt converts a Go value to the raw integer for kind k.
func toInt(k Kind, val any, enum, flags *Enum) (uint64, error) {
	switch x := val.(type) {
	case string:
		if enum != nil {
			if v, ok := enum.Value(x); ok {
				return v, nil
			}
			return 0, fmt.Errorf("unknown %s %q; known: %s", enum.Name, x, strings.Join(enum.Names(), ", "))
		}
		if flags != nil {
			return toInt(k, []string{x}, enum, flags)
		}
		return 0, fmt.Errorf("want an integer, got a string")
	case []string:
		if flags == nil {
			return 0, fmt.Errorf("want an integer, got a list")
		}
		var u uint64
		for _, n := range x {
			bit, ok := flags.Value(n)
			if !ok {
				return 0, fmt.Errorf("unknown %s flag %q; known: %s", flags.Name, n, strings.Join(flags.Names(), ", "))
			}
			u |= bit
		}
		return u, nil
	case []any:
		names := make([]string, len(x))
		for i, el := range x {
			s, ok := el.(string)
			if !ok {
				return 0, fmt.Errorf("want a list of flag names, got %T in it", el)
			}
			names[i] = s
		}
		return toInt(k, names, enum, flags)
	case bool:
		return 0, fmt.Errorf("want an integer, got a bool")
	}
	i, u, signed, ok := goInt(val)
	if !ok {
		return 0, fmt.Errorf("want an integer, got %T", val)
	}
	if signed {
		if i < 0 && !k.Signed() {
			return 0, fmt.Errorf("%d is negative, but %s is unsigned", i, k)
		}
		return uint64(i), nil
	}
	if k.Signed() && u > math.MaxInt64 {
		return 0, fmt.Errorf("%d does not fit in %s", u, k)
	}
	return u, nil
}

// goInt reads any Go integer.
func goInt(val any) (i int64, u uint64, signed, ok bool) {
	switch x := val.(type) {
	case int:
		return int64(x), 0, true, true
	case int8:
		return int64(x), 0, true, true
	case int16:
		return int64(x), 0, true, true
	case int32:
		return int64(x), 0, true, true
	case int64:
		return x, 0, true, true
	case uint:
		return 0, uint64(x), false, true
	case uint8:
		return 0, uint64(x), false, true
	case uint16:
		return 0, uint64(x), false, true
	case uint32:
		return 0, uint64(x), false, true
	case uint64:
		return 0, x, false, true
	}
	return 0, 0, false, false
}

// ParseAddr reads an address as an Addr field takes it: a netip.Addr or
// its text. The errors are those a FieldError carries ("... is not an IP
// address"), for families that look at an address before encoding it.
func ParseAddr(val any) (netip.Addr, error) {
	switch x := val.(type) {
	case netip.Addr:
		if !x.IsValid() {
			return x, fmt.Errorf("want an IP address, got an empty one")
		}
		return x, nil
	case string:
		ip, err := netip.ParseAddr(x)
		if err != nil {
			return netip.Addr{}, fmt.Errorf("%q is not an IP address", x)
		}
		return ip, nil
	}
	return netip.Addr{}, fmt.Errorf("want an IP address, got %T", val)
}

// toPrefix reads a prefix; a bare address is a host prefix, and "default"
// (isDefault) is the zero-length prefix of either family.
func toPrefix(val any) (p netip.Prefix, isDefault bool, err error) {
	switch x := val.(type) {
	case netip.Prefix:
		return x, false, nil
	case netip.Addr:
		return netip.PrefixFrom(x, x.BitLen()), false, nil
	case string:
		if x == "default" || x == "all" || x == "any" {
			return netip.Prefix{}, true, nil
		}
		if strings.Contains(x, "/") {
			p, err := netip.ParsePrefix(x)
			if err != nil {
				return p, false, fmt.Errorf("%q is not an IP prefix", x)
			}
			return p, false, nil
		}
		ip, err := netip.ParseAddr(x)
		if err != nil {
			return netip.Prefix{}, false, fmt.Errorf("%q is not an IP prefix", x)
		}
		return netip.PrefixFrom(ip, ip.BitLen()), false, nil
	}
	return netip.Prefix{}, false, fmt.Errorf("want an IP prefix, got %T", val)
}

func toMAC(val any) (net.HardwareAddr, error) {
	switch x := val.(type) {
	case net.HardwareAddr:
		return x, nil
	case []byte:
		return x, nil
	case string:
		mac, err := net.ParseMAC(x)
		if err != nil {
			return nil, fmt.Errorf("%q is not a MAC address", x)
		}
		return mac, nil
	}
	return nil, fmt.Errorf("want a MAC address, got %T", val)
}

func fixedBytes(k Kind, val any, n int) ([]byte, error) {
	var b []byte
	switch k {
	case Addr:
		ip, err := ParseAddr(val)
		if err != nil {
			return nil, err
		}
		b = ip.AsSlice()
	case MAC:
		mac, err := toMAC(val)
		if err != nil {
			return nil, err
		}
		b = mac
	case String:
		s, ok := val.(string)
		if !ok {
			return nil, fmt.Errorf("want a string, got %T", val)
		}
		if strings.IndexByte(s, 0) >= 0 || len(s) >= n {
			return nil, fmt.Errorf("%q does not fit in %d bytes with its NUL", s, n)
		}
		b = []byte(s)
	default:
		raw, ok := val.([]byte)
		if !ok {
			return nil, fmt.Errorf("want bytes, got %T", val)
		}
		b = raw
	}
	if len(b) > n {
		return nil, fmt.Errorf("%d bytes do not fit in %d", len(b), n)
	}
	return b, nil
}

// Suggest returns the name in names closest to name, if one is close
// enough to be a likely typo, or "".
func Suggest(name string, names []string) string {
	best, bestDist := "", max(len(name)/2, 2)+1
	for _, n := range names {
		if d := levenshtein(name, n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// levenshtein returns the edit distance of a and b, counting the
// transposition of two adjacent letters as one edit ("mut" for "mtu").
func levenshtein(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
