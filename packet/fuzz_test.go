package packet_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// seed adds every captured datagram and request to the corpus of f, and a
// few degenerate inputs.
func seed(f *testing.F) {
	for _, name := range fixtureNames(f) {
		for _, file := range []string{name, name + ".req"} {
			for _, d := range datagrams(f, file) {
				f.Add(d)
			}
		}
	}
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
	f.Add([]byte{16, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
}

// within reports whether sub lies inside b.
func within(sub, b []byte) bool {
	if len(sub) == 0 {
		return true
	}
	if len(b) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	s := uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	return s >= start && s+uintptr(len(sub)) <= start+uintptr(len(b))
}

// at reports whether sub starts at b[off].
func at(sub, b []byte, off int) bool {
	if len(sub) == 0 {
		return true
	}
	return off < len(b) && &sub[0] == &b[off]
}

// FuzzMessageScanner scans arbitrary bytes as messages. Every message must
// be a view of the input at the offset the scanner reported, a clean end
// must consume the input exactly, and an error must say where it stopped.
// Error messages go through ParseError, and every payload through the
// attribute walk.
func FuzzMessageScanner(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := packet.NewMessageScanner(b)
		n, prev := 0, 0
		for s.Next() {
			m := s.Message()
			n++
			if !at(m.Data, b, prev+packet.HeaderLen) || !within(m.Data, b) {
				t.Fatalf("message %d: data is not the view of the input at %d", n, prev+packet.HeaderLen)
			}
			if int(m.Header.Len) != packet.HeaderLen+len(m.Data) {
				t.Fatalf("message %d: length %d for %d data bytes", n, m.Header.Len, len(m.Data))
			}
			if h, err := packet.ParseHeader(b[prev:]); err != nil || h != m.Header {
				t.Fatalf("message %d: header %+v, ParseHeader says %+v, %v", n, m.Header, h, err)
			}
			if s.Offset() <= prev || s.Offset() > len(b) || s.Offset() != min(prev+packet.Align(int(m.Header.Len)), len(b)) {
				t.Fatalf("message %d: offset moved from %d to %d", n, prev, s.Offset())
			}
			prev = s.Offset()
			if m.Header.Type == unix.NLMSG_ERROR || m.Header.Type == unix.NLMSG_DONE {
				checkParseError(t, m)
			}
			for _, fixed := range []int{0, 4, 12, 16} {
				if fixed <= len(m.Data) {
					walk(t, m.Data[fixed:], b, 0)
				}
			}
		}
		if err := s.Err(); err != nil {
			var le *packet.LengthError
			if !errors.As(err, &le) || !errors.Is(err, packet.ErrTruncated) {
				t.Fatalf("error %v is not a LengthError", err)
			}
			if le.Offset != s.Offset() || le.Avail != len(b)-s.Offset() || le.Avail <= 0 {
				t.Fatalf("error %+v at offset %d of %d", *le, s.Offset(), len(b))
			}
		} else if s.Offset() != len(b) {
			t.Fatalf("clean end at %d of %d bytes", s.Offset(), len(b))
		}
		msgs, err := packet.ParseMessages(b)
		if len(msgs) != n || (err == nil) != (s.Err() == nil) {
			t.Fatalf("ParseMessages: %d messages, %v; the scanner read %d, %v", len(msgs), err, n, s.Err())
		}
	})
}

// walk scans b as attributes, reads each with every getter and checks the
// results against the payload, and recurses into every payload. all is
// the whole input, which every value must lie in.
func walk(t *testing.T, b, all []byte, depth int) {
	s := packet.NewAttrScanner(b)
	prev := 0
	for s.Next() {
		a := s.Attr()
		if !within(a.Value, all) || !at(a.Value, b, prev+packet.AttrHeaderLen) {
			t.Fatalf("attribute at %d: value is not the view of the input", prev)
		}
		raw := binary.NativeEndian.Uint16(b[prev+2:])
		if a.Type != raw&0x3fff || a.Nested != (raw&unix.NLA_F_NESTED != 0) || a.NetByteOrder != (raw&unix.NLA_F_NET_BYTEORDER != 0) {
			t.Fatalf("attribute at %d: type %#x read as %+v", prev, raw, a)
		}
		if int(binary.NativeEndian.Uint16(b[prev:])) != packet.AttrHeaderLen+len(a.Value) {
			t.Fatalf("attribute at %d: value of %d bytes", prev, len(a.Value))
		}
		if s.Offset() != min(prev+packet.Align(packet.AttrHeaderLen+len(a.Value)), len(b)) {
			t.Fatalf("attribute at %d: next offset %d", prev, s.Offset())
		}
		prev = s.Offset()
		checkGetters(t, a)
		if depth < 16 {
			walk(t, a.Value, all, depth+1)
		}
	}
	if s.Err() == nil && s.Offset() != len(b) {
		t.Fatalf("clean end at %d of %d bytes", s.Offset(), len(b))
	}
	if s.Err() != nil && !errors.Is(s.Err(), packet.ErrTruncated) {
		t.Fatalf("error %v is not ErrTruncated", s.Err())
	}
}

// checkGetters calls every getter of a and checks that each succeeds
// exactly for its sizes and agrees with the others.
func checkGetters(t *testing.T, a packet.Attr) {
	n := len(a.Value)
	sizeErr := func(name string, err error, ok bool) {
		var se *packet.SizeError
		switch {
		case ok && err != nil:
			t.Fatalf("%s of %d bytes: %v", name, n, err)
		case !ok && !errors.As(err, &se):
			t.Fatalf("%s of %d bytes: err = %v, want a *SizeError", name, n, err)
		case !ok && (se.Got != n || se.Type != a.Type):
			t.Fatalf("%s of %d bytes: %+v", name, n, *se)
		}
	}
	v8, err := a.Uint8()
	sizeErr("Uint8", err, n == 1)
	v16, err := a.Uint16()
	sizeErr("Uint16", err, n == 2)
	v32, err := a.Uint32()
	sizeErr("Uint32", err, n == 4)
	v64, err := a.Uint64()
	sizeErr("Uint64", err, n == 8)
	s8, err := a.Int8()
	sizeErr("Int8", err, n == 1)
	s16, err := a.Int16()
	sizeErr("Int16", err, n == 2)
	s32, err := a.Int32()
	sizeErr("Int32", err, n == 4)
	s64, err := a.Int64()
	sizeErr("Int64", err, n == 8)
	if uint8(s8) != v8 || uint16(s16) != v16 || uint32(s32) != v32 || uint64(s64) != v64 {
		t.Fatal("signed and unsigned getters disagree")
	}
	u, err := a.Uint()
	sizeErr("Uint", err, n == 1 || n == 2 || n == 4 || n == 8)
	if err == nil && u != uint64(v8)+uint64(v16)+uint64(v32)+v64 {
		t.Fatalf("Uint = %d, the fixed-size getters say otherwise", u)
	}
	b16, err := a.BE16()
	sizeErr("BE16", err, n == 2)
	if err == nil && b16 != binary.BigEndian.Uint16(a.Value) {
		t.Fatal("BE16 is not big endian")
	}
	b32, err := a.BE32()
	sizeErr("BE32", err, n == 4)
	if err == nil && b32 != binary.BigEndian.Uint32(a.Value) {
		t.Fatal("BE32 is not big endian")
	}
	if a.NetByteOrder && n == 4 && v32 != b32 {
		t.Fatal("Uint32 ignores NLA_F_NET_BYTEORDER")
	}
	flag, err := a.Flag()
	sizeErr("Flag", err, n == 0)
	if flag != (n == 0) {
		t.Fatal("Flag is true for a payload")
	}
	ip, err := a.Addr()
	sizeErr("Addr", err, n == 4 || n == 16)
	if err == nil && !bytes.Equal(ip.AsSlice(), a.Value) {
		t.Fatalf("Addr = %v from % x", ip, a.Value)
	}
	for _, bits := range []int{-1, 0, 24, 32, 64, 128, 129} {
		p, err := a.Prefix(bits)
		if ok := ip.IsValid() && bits >= 0 && bits <= ip.BitLen(); ok != (err == nil) || ok && (p.Addr() != ip || p.Bits() != bits) {
			t.Fatalf("Prefix(%d) of % x = %v, %v", bits, a.Value, p, err)
		}
	}
	hw, err := a.HardwareAddr()
	sizeErr("HardwareAddr", err, n > 0)
	if err == nil && !bytes.Equal(hw, a.Value) {
		t.Fatal("HardwareAddr is not the payload")
	}
	str := a.String()
	if strings.IndexByte(str, 0) >= 0 || !bytes.HasPrefix(a.Value, []byte(str)) ||
		len(str) < n && a.Value[len(str)] != 0 {
		t.Fatalf("String %q of % x", str, a.Value)
	}
	if !bytes.Equal(a.Bytes(), a.Value) {
		t.Fatal("Bytes is not the payload")
	}
}

// FuzzAttrScanner walks arbitrary bytes as attributes, recursing into every
// payload and calling every getter, then re-encodes a clean run of
// attributes and checks that it scans back the same.
func FuzzAttrScanner(f *testing.F) {
	seed(f)
	f.Add(attr(1, 1, 2, 3, 4))
	f.Add(attr(2|unix.NLA_F_NESTED, attr(1, 'a', 0)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		walk(t, b, b, 0)
		attrs, err := packet.ParseAttrs(b)
		if err != nil {
			return
		}
		var e packet.Encoder
		for _, a := range attrs {
			typ := a.Type
			if a.Nested {
				typ |= unix.NLA_F_NESTED
			}
			if a.NetByteOrder {
				typ |= unix.NLA_F_NET_BYTEORDER
			}
			e.Attr(typ, a.Value)
		}
		if e.Err() != nil {
			t.Fatal(e.Err())
		}
		again, err := packet.ParseAttrs(e.Bytes())
		if err != nil || len(again) != len(attrs) {
			t.Fatalf("re-encoded: %d attributes of %d, %v", len(again), len(attrs), err)
		}
		for i := range attrs {
			x, y := attrs[i], again[i]
			if x.Type != y.Type || x.Nested != y.Nested || x.NetByteOrder != y.NetByteOrder || !bytes.Equal(x.Value, y.Value) {
				t.Fatalf("attribute %d: %+v re-encoded as %+v", i, x, y)
			}
		}
	})
}

// checkParseError decodes m as an error or DONE message and checks the
// result against the raw bytes.
func checkParseError(t *testing.T, m packet.Message) {
	data := m.Data
	e, err := packet.ParseError(m)
	if e == nil {
		if err == nil {
			t.Fatal("ParseError returned neither an Error nor an error")
		}
		return
	}
	// With malformed TLVs ParseError returns what it decoded so far
	// along with the error; that part must be consistent too.
	if len(data) >= 4 {
		code := int64(int32(binary.NativeEndian.Uint32(data)))
		if code < 0 {
			code = -code
		}
		if uint64(e.Errno) != uint64(code) && code != 1<<31 {
			t.Fatalf("errno %d from code % x", e.Errno, data[:4])
		}
	} else if e.Errno != 0 {
		t.Fatalf("errno %d from a %d-byte message", e.Errno, len(data))
	}
	if m.Header.Type == unix.NLMSG_DONE && e.Header != m.Header {
		t.Fatalf("DONE: header %+v, want its own %+v", e.Header, m.Header)
	}
	if strings.IndexByte(e.Message, 0) >= 0 {
		t.Fatalf("message %q holds a NUL", e.Message)
	}
	if e.Error() == "" {
		t.Fatal("empty Error()")
	}
	if e.Errno != 0 && !errors.Is(e, e.Errno) || e.Errno == 0 && e.Unwrap() != nil {
		t.Fatalf("Unwrap of errno %d = %v", e.Errno, e.Unwrap())
	}
	if e.Policy != nil {
		_ = e.Policy.String()
	}
	if len(e.Cookie) > 0 && within(e.Cookie, data) {
		t.Fatal("the cookie aliases the message")
	}
	e.Request = data
	e.Locate(4)
	e.LocateMissNest(4)
}

// FuzzParseError decodes arbitrary payloads as NLMSG_ERROR and NLMSG_DONE
// with every combination of CAPPED and ACK_TLVS, and as a policy.
func FuzzParseError(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		// A captured reply: decode it as the kernel sent it.
		for s := packet.NewMessageScanner(b); s.Next(); {
			if m := s.Message(); m.Header.Type == unix.NLMSG_ERROR || m.Header.Type == unix.NLMSG_DONE {
				checkParseError(t, m)
			}
		}
		// Any bytes: decode them as the payload of every kind.
		for _, typ := range []uint16{unix.NLMSG_ERROR, unix.NLMSG_DONE} {
			for _, flags := range []uint16{0, unix.NLM_F_CAPPED, unix.NLM_F_ACK_TLVS, unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS} {
				checkParseError(t, packet.Message{Header: unix.NlMsghdr{Type: typ, Flags: flags}, Data: b})
			}
		}
		if p, err := packet.ParsePolicy(b); err == nil {
			_ = p.String()
			_ = packet.PolicyTypeName(p.Type)
		}
	})
}

// FuzzLocateAttr maps offsets into arbitrary messages. Every step of a
// returned path must be an attribute of the message, as typed, containing
// the offset, and each inside the one before.
func FuzzLocateAttr(f *testing.F) {
	for _, name := range fixtureNames(f) {
		req := fixture(f, name+".req")
		for off := range len(req) {
			if off%4 == 0 {
				f.Add(req, uint8(12), uint16(off))
			}
		}
		f.Add(fixture(f, name), uint8(4), uint16(20))
	}
	f.Fuzz(func(t *testing.T, msg []byte, fixed uint8, off uint16) {
		check := func(fixed, off int) {
			path := packet.LocateAttr(msg, fixed, off)
			start := packet.HeaderLen + packet.Align(fixed)
			if len(path) > 0 && (off < start || off >= len(msg)) {
				t.Fatalf("offset %d outside the attributes located %v", off, path)
			}
			lo, hi := start, len(msg)
			for i, r := range path {
				if r.Offset < lo || r.Offset+packet.AttrHeaderLen > hi || r.Offset > off || r.Offset%4 != 0 {
					t.Fatalf("step %d of %v for offset %d: outside [%d, %d)", i, path, off, lo, hi)
				}
				n := int(binary.NativeEndian.Uint16(msg[r.Offset:]))
				typ := binary.NativeEndian.Uint16(msg[r.Offset+2:]) & 0x3fff
				if typ != r.Type || n < packet.AttrHeaderLen || r.Offset+n > hi || off >= r.Offset+packet.Align(n) {
					t.Fatalf("step %d of %v for offset %d: attribute of type %d, length %d", i, path, off, typ, n)
				}
				lo, hi = r.Offset+packet.AttrHeaderLen, r.Offset+n
			}
		}
		check(int(fixed), int(off))
		if len(msg) <= 256 {
			for o := range len(msg) + 2 {
				check(int(fixed), o)
			}
		}
	})
}

// FuzzEncoderRoundTrip runs a program read from the input against an
// Encoder, with every append method and nests within nests in several
// messages, and checks that scanning the result gives back exactly what
// was written, with zero padding and patched lengths.
func FuzzEncoderRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 12, 3, 1, 0, 9, 17, 5, 0, 4, 2, 0, 1, 2, 3, 4, 19, 18, 9, 0, 12, 3, 0, 'a', 'b', 'c', 19, 0, 30, 1})
	f.Add([]byte{17, 1, 0, 17, 2, 0, 17, 3, 0, 2, 1, 0, 7, 19, 19, 19, 0, 0, 1, 14, 4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > 8192 {
			prog = prog[:8192] // keeps every nest below 65536 bytes
		}
		want, wire := runProgram(t, prog)
		got := parseProgramOutput(t, wire)
		if len(got) != len(want) {
			t.Fatalf("%d messages, want %d", len(got), len(want))
		}
		for i := range want {
			if d := diffNode(want[i], got[i]); d != "" {
				t.Fatalf("message %d: %s", i, d)
			}
		}
	})
}

// node is what a program wrote or what was parsed back: a message (raw is
// its type, value its fixed header), an attribute (raw is the type with
// its flag bits) or a nest.
type node struct {
	raw   uint16
	flags uint16 // of a message
	value []byte
	kids  []*node
	nest  bool
}

// runProgram interprets prog, an opcode byte followed by its operands, as
// calls to an Encoder, and returns the messages it meant to write and the
// bytes written.
func runProgram(t *testing.T, prog []byte) ([]*node, []byte) {
	var e packet.Encoder
	var msgs []*node
	var stack []*node // the open message and nests
	var nests []packet.Nest
	// next consumes up to n operand bytes and returns a copy of them.
	next := func(n int) []byte {
		n = min(n, len(prog))
		b := append([]byte{}, prog[:n]...)
		prog = prog[n:]
		return b
	}
	u8 := func() byte { return append(next(1), 0)[0] }
	u16 := func() uint16 { return binary.NativeEndian.Uint16(append(next(2), 0, 0)) }
	begin := func(typ, flags uint16) {
		for len(nests) > 0 {
			e.EndNested(nests[len(nests)-1])
			nests = nests[:len(nests)-1]
		}
		e.EndMessage()
		off := e.BeginMessage(typ, flags)
		if off != e.Len()-packet.HeaderLen {
			t.Fatalf("BeginMessage returned offset %d of %d bytes", off, e.Len())
		}
		m := &node{raw: typ, flags: flags}
		msgs = append(msgs, m)
		stack = []*node{m}
	}
	begin(unix.RTM_NEWLINK, unix.NLM_F_REQUEST)
	leaf := func(raw uint16, v []byte) {
		top := stack[len(stack)-1]
		top.kids = append(top.kids, &node{raw: raw, value: append([]byte{}, v...)})
	}
	for len(prog) > 0 {
		op := u8() % 21
		switch op {
		case 0:
			begin(u16(), u16())
		case 1: // a fixed header, only before the first attribute
			b := next(int(u8()) % 24)
			m := stack[0]
			if len(stack) == 1 && len(m.kids) == 0 && m.value == nil {
				e.Append(b)
				m.value = append([]byte{}, b...)
			}
		case 2:
			typ, v := u16(), u8()
			e.Uint8(typ, v)
			leaf(typ, []byte{v})
		case 3:
			typ, v := u16(), u16()
			e.Uint16(typ, v)
			leaf(typ, binary.NativeEndian.AppendUint16(nil, v))
		case 4:
			typ, v := u16(), uint32(u16())<<16|uint32(u16())
			e.Uint32(typ, v)
			leaf(typ, binary.NativeEndian.AppendUint32(nil, v))
		case 5:
			typ, v := u16(), uint64(u16())<<48|uint64(u16())
			e.Uint64(typ, v)
			leaf(typ, binary.NativeEndian.AppendUint64(nil, v))
		case 6:
			typ, v := u16(), int8(u16())
			e.Int8(typ, v)
			leaf(typ, []byte{byte(v)})
		case 7:
			typ, v := u16(), int16(u16())
			e.Int16(typ, v)
			leaf(typ, binary.NativeEndian.AppendUint16(nil, uint16(v)))
		case 8:
			typ, v := u16(), -int32(u16())
			e.Int32(typ, v)
			leaf(typ, binary.NativeEndian.AppendUint32(nil, uint32(v)))
		case 9:
			typ, v := u16(), -int64(u16())<<40
			e.Int64(typ, v)
			leaf(typ, binary.NativeEndian.AppendUint64(nil, uint64(v)))
		case 10:
			typ, v := u16(), u16()
			e.BE16(typ, v)
			leaf(typ, binary.BigEndian.AppendUint16(nil, v))
		case 11:
			typ, v := u16(), uint32(u16())<<16|uint32(u16())
			e.BE32(typ, v)
			leaf(typ, binary.BigEndian.AppendUint32(nil, v))
		case 12:
			typ := u16()
			s := string(next(int(u8()) % 40))
			e.String(typ, s)
			leaf(typ, append([]byte(s), 0))
		case 13:
			typ := u16()
			e.Flag(typ)
			leaf(typ, nil)
		case 14:
			typ := u16()
			var ip netip.Addr
			if u8()%2 == 0 {
				ip = netip.AddrFrom4([4]byte(append(next(4), 0, 0, 0, 0)[:4]))
			} else {
				ip = netip.AddrFrom16([16]byte(append(next(16), make([]byte, 16)...)[:16]))
			}
			e.Addr(typ, ip)
			leaf(typ, ip.AsSlice())
		case 15:
			typ := u16()
			mac := net.HardwareAddr(next(6))
			e.HardwareAddr(typ, mac)
			leaf(typ, mac)
		case 16:
			typ := u16()
			v := next(int(u8()))
			e.Attr(typ, v)
			leaf(typ, v)
		case 17, 18:
			typ := u16()
			var n packet.Nest
			if op == 17 {
				n = e.BeginNested(typ)
				typ |= unix.NLA_F_NESTED
			} else {
				n = e.BeginNestedRaw(typ)
			}
			nests = append(nests, n)
			nd := &node{raw: typ, nest: true}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, nd)
			stack = append(stack, nd)
		case 19:
			if len(nests) > 0 {
				e.EndNested(nests[len(nests)-1])
				nests = nests[:len(nests)-1]
				stack = stack[:len(stack)-1]
			}
		case 20: // Grow: a fixed header filled in place
			m := stack[0]
			b := next(int(u8()) % 24)
			if len(stack) == 1 && len(m.kids) == 0 && m.value == nil {
				g := e.Grow(len(b))
				if len(g) != len(b) {
					t.Fatalf("Grow(%d) returned %d bytes", len(b), len(g))
				}
				copy(g, b)
				m.value = append([]byte{}, b...)
			}
		}
	}
	for len(nests) > 0 {
		e.EndNested(nests[len(nests)-1])
		nests = nests[:len(nests)-1]
	}
	e.EndMessage()
	if e.Err() != nil {
		t.Fatal(e.Err())
	}
	if e.Len() != len(e.Bytes()) || e.Len()%4 != 0 {
		t.Fatalf("Len %d, %d bytes", e.Len(), len(e.Bytes()))
	}
	return msgs, e.Bytes()
}

// parseProgramOutput scans the messages runProgram wrote. Their payloads
// stay raw: diffNode walks them along the tree that was written, which
// tells a nest from a leaf.
func parseProgramOutput(t *testing.T, wire []byte) []*node {
	var out []*node
	s := packet.NewMessageScanner(wire)
	for s.Next() {
		m := s.Message()
		if int(m.Header.Len)%4 != 0 {
			t.Fatalf("message length %d is not padded", m.Header.Len)
		}
		out = append(out, &node{raw: m.Header.Type, flags: m.Header.Flags, value: m.Data})
	}
	if s.Err() != nil || s.Offset() != len(wire) {
		t.Fatalf("scanning the encoder's output: %v at %d of %d", s.Err(), s.Offset(), len(wire))
	}
	return out
}

// diffNode compares a message as written with the message parsed back,
// descending through the attributes, and describes the first difference.
func diffNode(want, got *node) string {
	if got.raw != want.raw || got.flags != want.flags {
		return "header differs"
	}
	fixed := packet.Align(len(want.value))
	if len(got.value) < fixed || !bytes.Equal(got.value[:len(want.value)], want.value) || !zero(got.value[len(want.value):fixed]) {
		return "fixed header differs or is not padded with zeros"
	}
	return diffAttrs(want.kids, got.value[fixed:])
}

func diffAttrs(want []*node, b []byte) string {
	s := packet.NewAttrScanner(b)
	i := 0
	prev := 0
	for s.Next() {
		a := s.Attr()
		if i >= len(want) {
			return "more attributes than written"
		}
		w := want[i]
		raw := binary.NativeEndian.Uint16(b[prev+2:])
		end := prev + packet.AttrHeaderLen + len(a.Value)
		if raw != w.raw {
			return "attribute type or flags differ"
		}
		if !zero(b[end:s.Offset()]) || s.Offset()%4 != 0 {
			return "padding is not zero"
		}
		prev = s.Offset()
		i++
		if w.nest {
			if d := diffAttrs(w.kids, a.Value); d != "" {
				return d
			}
			continue
		}
		if !bytes.Equal(a.Value, w.value) {
			return "attribute value differs"
		}
	}
	if s.Err() != nil {
		return s.Err().Error()
	}
	if i != len(want) {
		return "fewer attributes than written"
	}
	return ""
}

func zero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
