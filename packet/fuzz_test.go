package packet_test

import (
	"bytes"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

var fixtureNames = []string{"link_dump", "route_dump", "ack", "err_prefixlen", "err_prefixlen_uncapped", "err_policy", "err_nested", "err_miss_type"}

func seed(f *testing.F) {
	for _, n := range fixtureNames {
		f.Add(fixture(f, n))
		f.Add(fixture(f, n+".req"))
	}
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})
}

// within reports whether sub lies inside b.
func within(sub, b []byte) bool {
	if len(sub) == 0 {
		return true
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	s := uintptr(unsafe.Pointer(unsafe.SliceData(sub)))
	return s >= start && s+uintptr(len(sub)) <= start+uintptr(len(b))
}

func FuzzMessageScanner(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := packet.NewMessageScanner(b)
		total := 0
		for s.Next() {
			m := s.Message()
			if !within(m.Data, b) {
				t.Fatal("message data outside the buffer")
			}
			if int(m.Header.Len) != packet.HeaderLen+len(m.Data) {
				t.Fatalf("length %d for %d data bytes", m.Header.Len, len(m.Data))
			}
			total += packet.Align(int(m.Header.Len))
			if m.Header.Type == unix.NLMSG_ERROR || m.Header.Type == unix.NLMSG_DONE {
				packet.ParseError(m)
			}
		}
		if s.Err() == nil && total < len(b) && s.Offset() != len(b) {
			t.Fatalf("stopped at %d of %d without an error", s.Offset(), len(b))
		}
	})
}

// walk scans b as attributes, recursing into every payload that parses as
// attributes, and reads it with every getter.
func walk(t *testing.T, b, all []byte, depth int) {
	s := packet.NewAttrScanner(b)
	for s.Next() {
		a := s.Attr()
		if !within(a.Value, all) {
			t.Fatal("attribute value outside the buffer")
		}
		a.Uint8()
		a.Uint16()
		a.Uint32()
		a.Uint64()
		a.Uint()
		a.Int8()
		a.Int16()
		a.Int32()
		a.Int64()
		a.BE16()
		a.BE32()
		_ = a.String()
		a.Flag()
		a.Addr()
		a.Prefix(24)
		a.HardwareAddr()
		if depth < 8 {
			walk(t, a.Value, all, depth+1)
		}
	}
}

func FuzzAttrScanner(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { walk(t, b, b, 0) })
}

func FuzzParseError(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, typ := range []uint16{unix.NLMSG_ERROR, unix.NLMSG_DONE} {
			for _, flags := range []uint16{0, unix.NLM_F_CAPPED, unix.NLM_F_ACK_TLVS, unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS} {
				e, err := packet.ParseError(packet.Message{Header: unix.NlMsghdr{Type: typ, Flags: flags}, Data: b})
				if err == nil {
					_ = e.Error()
					e.Request = b
					e.Locate(12)
					e.LocateMissNest(4)
				}
			}
		}
		packet.ParsePolicy(b)
	})
}

func FuzzLocateAttr(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, fixed := range []int{0, 4, 12, 16} {
			for off := 0; off < len(b)+4; off += 3 {
				path := packet.LocateAttr(b, fixed, off)
				prev := -1
				for _, r := range path {
					if r.Offset <= prev || r.Offset > off || r.Offset >= len(b) {
						t.Fatalf("path %v for offset %d is not nested inward", path, off)
					}
					prev = r.Offset
				}
			}
		}
	})
}

// FuzzEncoderRoundTrip encodes attributes whose types and payloads come
// from the input, then checks that scanning returns exactly them.
func FuzzEncoderRoundTrip(f *testing.F) {
	f.Add([]byte{1, 3, 'a', 'b', 'c', 2, 0, 7, 5, 1, 2, 3, 4, 5})
	f.Fuzz(func(t *testing.T, in []byte) {
		type item struct {
			typ     uint16
			payload []byte
			nest    bool
		}
		var items []item
		for len(in) >= 2 {
			typ, n := uint16(in[0]&0x3f), int(in[1])
			in = in[2:]
			n = min(n, len(in))
			items = append(items, item{typ: typ, payload: in[:n], nest: n%3 == 0})
			in = in[n:]
		}
		var e packet.Encoder
		e.BeginMessage(0x100, unix.NLM_F_REQUEST)
		for _, it := range items {
			if it.nest {
				nst := e.BeginNested(it.typ)
				e.Attr(1, it.payload)
				e.EndNested(nst)
			} else {
				e.Attr(it.typ, it.payload)
			}
		}
		e.EndMessage()
		msgs, err := packet.ParseMessages(e.Bytes())
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%d messages, %v", len(msgs), err)
		}
		attrs, err := packet.ParseAttrs(msgs[0].Data)
		if err != nil || len(attrs) != len(items) {
			t.Fatalf("%d attrs of %d, %v", len(attrs), len(items), err)
		}
		for i, it := range items {
			a := attrs[i]
			if a.Type != it.typ || a.Nested != it.nest {
				t.Fatalf("attr %d: type %d nested %v, want %d %v", i, a.Type, a.Nested, it.typ, it.nest)
			}
			got := a.Value
			if it.nest {
				in, err := packet.ParseAttrs(a.Value)
				if err != nil || len(in) != 1 {
					t.Fatalf("nest %d: %v", i, err)
				}
				got = in[0].Value
			}
			if !bytes.Equal(got, it.payload) {
				t.Fatalf("attr %d: payload % x, want % x", i, got, it.payload)
			}
		}
	})
}
