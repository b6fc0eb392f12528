package packet_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// header builds the 16 bytes of an nlmsghdr.
func header(length uint32, typ, flags uint16, seq, pid uint32) []byte {
	b := make([]byte, packet.HeaderLen)
	packet.PutHeader(b, unix.NlMsghdr{Len: length, Type: typ, Flags: flags, Seq: seq, Pid: pid})
	return b
}

// message builds one message: header with the right length, payload and
// padding.
func message(typ, flags uint16, payload ...byte) []byte {
	b := append(header(uint32(packet.HeaderLen+len(payload)), typ, flags, 1, 0), payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func TestMessageScannerFixtures(t *testing.T) {
	const (
		link  = unix.RTM_NEWLINK
		route = unix.RTM_NEWROUTE
		done  = unix.NLMSG_DONE
		errm  = unix.NLMSG_ERROR
	)
	n := func(typ uint16, count int) []uint16 { return slices.Repeat([]uint16{typ}, count) }
	tests := []struct {
		name  string
		types [][]uint16 // per datagram
		flags uint16     // of every message
	}{
		{"link_dump", [][]uint16{{link, link}, {link}, {done}}, unix.NLM_F_MULTI},
		{"route_dump", [][]uint16{n(route, 41), {done}}, unix.NLM_F_MULTI},
		{"route6_dump", [][]uint16{n(route, 6), {done}}, unix.NLM_F_MULTI},
		{"dump_err_strict", [][]uint16{{done}}, unix.NLM_F_MULTI | unix.NLM_F_ACK_TLVS},
		{"ack", [][]uint16{{errm}}, unix.NLM_F_CAPPED},
		{"ack_uncapped", [][]uint16{{errm}}, unix.NLM_F_CAPPED}, // an ACK is always capped
		{"err_exists", [][]uint16{{errm}}, unix.NLM_F_ACK_TLVS},
		{"err_nodev", [][]uint16{{errm}}, unix.NLM_F_CAPPED},
		{"err_policy", [][]uint16{{errm}}, unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS},
		{"err_policy_uncapped", [][]uint16{{errm}}, unix.NLM_F_ACK_TLVS},
		{"err_miss_nest", [][]uint16{{errm}}, unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dgrams := datagrams(t, tt.name)
			var got [][]uint16
			var pid uint32
			for i, d := range dgrams {
				var types []uint16
				s := packet.NewMessageScanner(d)
				at := 0
				for s.Next() {
					m := s.Message()
					types = append(types, m.Header.Type)
					if int(m.Header.Len) != packet.HeaderLen+len(m.Data) {
						t.Errorf("datagram %d: length field %d, %d data bytes", i, m.Header.Len, len(m.Data))
					}
					if !within(m.Data, d) || (len(m.Data) > 0 && &m.Data[0] != &d[at+packet.HeaderLen]) {
						t.Errorf("datagram %d: message at %d does not alias the buffer", i, at)
					}
					if cap(m.Data) != len(m.Data) {
						t.Errorf("datagram %d: Data has capacity %d beyond its length %d", i, cap(m.Data), len(m.Data))
					}
					if m.Header.Seq != 1 {
						t.Errorf("datagram %d: seq %d, want the request's 1", i, m.Header.Seq)
					}
					if pid == 0 {
						pid = m.Header.Pid
					}
					if m.Header.Pid == 0 || m.Header.Pid != pid {
						t.Errorf("datagram %d: port ID %d, want the socket's, %d", i, m.Header.Pid, pid)
					}
					if m.Header.Flags != tt.flags {
						t.Errorf("datagram %d: flags %v, want %v", i,
							packet.FlagNames(packet.Flags(m.Header.Flags), m.Header.Type, false),
							packet.FlagNames(packet.Flags(tt.flags), m.Header.Type, false))
					}
					at += packet.Align(int(m.Header.Len))
					if s.Offset() != min(at, len(d)) {
						t.Errorf("datagram %d: Offset %d, want %d", i, s.Offset(), at)
					}
				}
				if err := s.Err(); err != nil {
					t.Fatalf("datagram %d: %v", i, err)
				}
				if s.Offset() != len(d) {
					t.Errorf("datagram %d: stopped at %d of %d bytes", i, s.Offset(), len(d))
				}
				got = append(got, types)
			}
			if !reflect.DeepEqual(got, tt.types) {
				t.Errorf("message types %v, want %v", got, tt.types)
			}
		})
	}
}

// TestEveryFixtureScans reads every captured datagram and request, which
// must scan cleanly, and checks ParseMessages against the scanner.
func TestEveryFixtureScans(t *testing.T) {
	for _, name := range fixtureNames(t) {
		for _, file := range []string{name, name + ".req"} {
			for i, d := range datagrams(t, file) {
				var scanned []packet.Message
				s := packet.NewMessageScanner(d)
				for s.Next() {
					scanned = append(scanned, s.Message())
				}
				if s.Err() != nil || s.Offset() != len(d) || len(scanned) == 0 {
					t.Errorf("%s datagram %d: %d messages, stopped at %d of %d: %v", file, i, len(scanned), s.Offset(), len(d), s.Err())
				}
				msgs, err := packet.ParseMessages(d)
				if err != nil || !reflect.DeepEqual(msgs, scanned) {
					t.Errorf("%s datagram %d: ParseMessages differs from the scanner: %v", file, i, err)
				}
			}
		}
	}
}

func TestMessageScannerMalformed(t *testing.T) {
	good := message(unix.NLMSG_NOOP, 0, 1, 2, 3, 4) // 20 bytes
	withLen := func(n uint32) []byte {
		b := slices.Clone(good)
		packet.PutHeader(b, unix.NlMsghdr{Len: n, Type: unix.NLMSG_NOOP})
		return b
	}
	odd := header(21, unix.NLMSG_NOOP, 0, 1, 0) // 5 payload bytes, unpadded
	odd = append(odd, 'a', 'b', 'c', 'd', 'e')
	tests := []struct {
		name    string
		b       []byte
		lens    []int // data lengths of the messages read
		wantErr *packet.LengthError
	}{
		{"nil", nil, nil, nil},
		{"empty", []byte{}, nil, nil},
		{"one", good, []int{4}, nil},
		{"header only", header(16, 1, 0, 0, 0), []int{0}, nil},
		{"short header", good[:10], nil, &packet.LengthError{What: "message", Offset: 0, Length: 10, Avail: 10}},
		{"one byte", []byte{16}, nil, &packet.LengthError{What: "message", Offset: 0, Length: 1, Avail: 1}},
		{"zero length", withLen(0), nil, &packet.LengthError{What: "message", Offset: 0, Length: 0, Avail: 20}},
		{"length below header", withLen(15), nil, &packet.LengthError{What: "message", Offset: 0, Length: 15, Avail: 20}},
		{"length past end", withLen(24), nil, &packet.LengthError{What: "message", Offset: 0, Length: 24, Avail: 20}},
		{"huge length", withLen(0xffffffff), nil, &packet.LengthError{What: "message", Offset: 0, Length: 0xffffffff, Avail: 20}},
		{"trailing garbage", slices.Concat(good, []byte{1, 2, 3}), []int{4}, &packet.LengthError{What: "message", Offset: 20, Length: 3, Avail: 3}},
		{"second truncated", slices.Concat(good, good[:18]), []int{4}, &packet.LengthError{What: "message", Offset: 20, Length: 20, Avail: 18}},
		{"second too long", slices.Concat(good, withLen(21)), []int{4}, &packet.LengthError{What: "message", Offset: 20, Length: 21, Avail: 20}},
		{"unpadded last", odd, []int{5}, nil},
		{"unpadded then next", slices.Concat(odd, []byte{0, 0, 0}, good), []int{5, 4}, nil},
		{"two", slices.Concat(good, good), []int{4, 4}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := packet.NewMessageScanner(tt.b)
			var lens []int
			for s.Next() {
				lens = append(lens, len(s.Message().Data))
			}
			if s.Next() {
				t.Error("Next is true again after it returned false")
			}
			if !slices.Equal(lens, tt.lens) {
				t.Errorf("read messages with %v data bytes, want %v", lens, tt.lens)
			}
			err := s.Err()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if s.Offset() != len(tt.b) {
					t.Errorf("Offset %d at a clean end, want %d", s.Offset(), len(tt.b))
				}
				return
			}
			var le *packet.LengthError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LengthError", err)
			}
			if *le != *tt.wantErr {
				t.Errorf("err = %+v, want %+v", *le, *tt.wantErr)
			}
			if !errors.Is(err, packet.ErrTruncated) {
				t.Errorf("errors.Is(%v, ErrTruncated) is false", err)
			}
			msgs, perr := packet.ParseMessages(tt.b)
			if len(msgs) != len(tt.lens) || perr == nil || perr.Error() != err.Error() {
				t.Errorf("ParseMessages: %d messages, %v; want %d, %v", len(msgs), perr, len(tt.lens), err)
			}
		})
	}
}

func TestMessageScannerZeroValue(t *testing.T) {
	var s packet.MessageScanner
	if s.Next() || s.Err() != nil || s.Offset() != 0 {
		t.Errorf("zero MessageScanner: Next true or Err %v or Offset %d", s.Err(), s.Offset())
	}
}

func TestLengthError(t *testing.T) {
	err := error(&packet.LengthError{What: "attribute", Offset: 8, Length: 300, Avail: 12})
	if got, want := err.Error(), "netlink: bad attribute length 300 at offset 8 (12 bytes left)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, packet.ErrTruncated) {
		t.Error("a LengthError is not ErrTruncated")
	}
	if got, want := packet.ErrTruncated.Error(), "netlink: truncated data"; got != want {
		t.Errorf("ErrTruncated = %q, want %q", got, want)
	}
}

func TestHeader(t *testing.T) {
	h := unix.NlMsghdr{Len: 0x01020304, Type: 0x0506, Flags: 0x0708, Seq: 0x090a0b0c, Pid: 0x0d0e0f10}
	b := make([]byte, packet.HeaderLen+4)
	packet.PutHeader(b, h)
	// Host byte order; every test machine this runs on is little-endian.
	want := []byte{4, 3, 2, 1, 6, 5, 8, 7, 0xc, 0xb, 0xa, 9, 0x10, 0xf, 0xe, 0xd, 0, 0, 0, 0}
	if !slices.Equal(b, want) {
		t.Errorf("PutHeader wrote % x, want % x", b, want)
	}
	got, err := packet.ParseHeader(b)
	if err != nil || got != h {
		t.Errorf("ParseHeader = %+v, %v; want %+v", got, err, h)
	}
	packet.SetSeq(b, 77)
	packet.SetPortID(b, 88)
	got, _ = packet.ParseHeader(b)
	if got.Seq != 77 || got.Pid != 88 || got.Len != h.Len || got.Type != h.Type || got.Flags != h.Flags {
		t.Errorf("after SetSeq and SetPortID: %+v", got)
	}
	for _, n := range []int{0, 1, 15} {
		_, err := packet.ParseHeader(b[:n])
		var le *packet.LengthError
		if !errors.As(err, &le) || le.Length != n || le.Avail != n || le.What != "message" {
			t.Errorf("ParseHeader of %d bytes: err = %v, want a LengthError", n, err)
		}
	}
}

func TestAlign(t *testing.T) {
	for _, tt := range []struct{ in, want int }{
		{0, 0}, {1, 4}, {2, 4}, {3, 4}, {4, 4}, {5, 8}, {16, 16}, {17, 20}, {65535, 65536},
	} {
		if got := packet.Align(tt.in); got != tt.want {
			t.Errorf("Align(%d) = %d, want %d", tt.in, got, tt.want)
		}
	}
	if packet.HeaderLen != 16 || packet.AttrHeaderLen != 4 {
		t.Errorf("HeaderLen %d, AttrHeaderLen %d; want 16, 4", packet.HeaderLen, packet.AttrHeaderLen)
	}
}

func TestFlagNames(t *testing.T) {
	tests := []struct {
		flags   uint16
		typ     uint16
		request bool
		want    []string
	}{
		{0, unix.RTM_NEWLINK, true, nil},
		{unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_CREATE | unix.NLM_F_EXCL, unix.RTM_NEWROUTE, true, []string{"REQUEST", "ACK", "EXCL", "CREATE"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_REPLACE | unix.NLM_F_APPEND | unix.NLM_F_ECHO, unix.RTM_NEWADDR, true, []string{"REQUEST", "ECHO", "REPLACE", "APPEND"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_DUMP, unix.RTM_GETLINK, true, []string{"REQUEST", "ROOT", "MATCH"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_DUMP | unix.NLM_F_ATOMIC, unix.RTM_GETROUTE, true, []string{"REQUEST", "ROOT", "MATCH", "ATOMIC"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_BULK, unix.RTM_DELNEIGH, true, []string{"REQUEST", "ACK", "BULK"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_NONREC, unix.RTM_DELLINK, true, []string{"REQUEST", "NONREC"}},
		// Below RTM_BASE a request is read as a NEW.
		{unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_CREATE, unix.NLMSG_MIN_TYPE - 1, true, []string{"REQUEST", "ACK", "CREATE"}},
		{unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, unix.NLMSG_ERROR, false, []string{"CAPPED", "ACK_TLVS"}},
		// The kernel sets ACK_TLVS on an NLMSG_DONE that carries an
		// extended ACK (see the dump_err_strict fixture).
		{unix.NLM_F_MULTI | unix.NLM_F_ACK_TLVS, unix.NLMSG_DONE, false, []string{"MULTI", "ACK_TLVS"}},
		{unix.NLM_F_MULTI | unix.NLM_F_DUMP_INTR | unix.NLM_F_DUMP_FILTERED, unix.RTM_NEWROUTE, false, []string{"MULTI", "DUMP_INTR", "DUMP_FILTERED"}},
		// Above 0x80 a reply's bits have no name.
		{unix.NLM_F_MULTI | 0x100, unix.RTM_NEWROUTE, false, []string{"MULTI", "0x100"}},
		{0x8000 | 0x40, unix.RTM_NEWROUTE, true, []string{"0x8040"}},
	}
	for _, tt := range tests {
		got := packet.FlagNames(packet.Flags(tt.flags), tt.typ, tt.request)
		if !slices.Equal(got, tt.want) {
			t.Errorf("FlagNames(%#x, %d, %v) = %q, want %q", tt.flags, tt.typ, tt.request, got, tt.want)
		}
	}
}

// TestScanAllocs checks that walking messages and attributes, the hot path
// of every dump, allocates nothing.
func TestScanAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	link, route := fixture(t, "link_dump"), fixture(t, "route_dump")
	var sink uint32
	allocs := testing.AllocsPerRun(100, func() {
		for _, buf := range [][]byte{link, route} {
			s := packet.NewMessageScanner(buf)
			for s.Next() {
				m := s.Message()
				fixed := unix.SizeofRtMsg
				if m.Header.Type == unix.RTM_NEWLINK {
					fixed = unix.SizeofIfInfomsg
				}
				if len(m.Data) < fixed {
					continue
				}
				a := packet.NewAttrScanner(m.Data[fixed:])
				for a.Next() {
					at := a.Attr()
					if len(at.Value) == 4 {
						v, _ := at.Uint32()
						sink += v
					}
					if !isNest(m.Header.Type, at) {
						continue
					}
					for in := at.Attrs(); in.Next(); {
						sink += uint32(in.Attr().Type)
					}
				}
			}
		}
	})
	if allocs != 0 {
		t.Errorf("scanning allocates %v times per run, want 0", allocs)
	}
	_ = sink
}

// isNest reports whether a is a nest in a link or route message. The kernel
// sends most rtnetlink nests without NLA_F_NESTED, so the schema decides.
func isNest(msgType uint16, a packet.Attr) bool {
	if a.Nested {
		return true
	}
	switch msgType {
	case unix.RTM_NEWLINK:
		return a.Type == unix.IFLA_LINKINFO || a.Type == unix.IFLA_AF_SPEC || a.Type == unix.IFLA_XDP
	case unix.RTM_NEWROUTE:
		return a.Type == unix.RTA_METRICS
	}
	return false
}
