package packet_test

import (
	"bytes"
	"errors"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// attr builds one attribute by hand: header, payload, padding.
func attr(typ uint16, payload ...byte) []byte {
	n := 4 + len(payload)
	b := []byte{byte(n), byte(n >> 8), byte(typ), byte(typ >> 8)}
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func TestAttrScannerLinkDump(t *testing.T) {
	b := fixture(t, "link_dump")
	msgs, err := packet.ParseMessages(b)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range msgs {
		s := packet.NewAttrScanner(m.Data[unix.SizeofIfInfomsg:])
		for s.Next() {
			a := s.Attr()
			switch a.Type {
			case unix.IFLA_IFNAME:
				names = append(names, a.String())
			case unix.IFLA_MTU:
				if _, err := a.Uint32(); err != nil {
					t.Error(err)
				}
			case unix.IFLA_LINKINFO:
				// The kernel sends rtnetlink nests without NLA_F_NESTED,
				// so a nest is a nest by its schema, not by the flag.
				if a.Nested {
					t.Error("IFLA_LINKINFO arrived with NLA_F_NESTED; the kernel has changed")
				}
				in := a.Attrs()
				for in.Next() {
				}
				if err := in.Err(); err != nil {
					t.Error(err)
				}
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if len(names) != 2 || names[0] != "lo" || names[1] != "v1" {
		t.Errorf("names %v, want [lo v1]", names)
	}
}

func TestAttrScannerMalformed(t *testing.T) {
	tests := []struct {
		name  string
		b     []byte
		attrs int
		err   bool
	}{
		{"empty", nil, 0, false},
		{"one", attr(1, 1, 2, 3, 4), 1, false},
		{"empty payload", attr(1), 1, false},
		{"header only part", []byte{4, 0}, 0, true},
		{"length below header", []byte{3, 0, 1, 0}, 0, true},
		{"length past end", []byte{12, 0, 1, 0, 1, 2, 3, 4}, 0, true},
		{"good then bad", append(attr(1, 9), 200, 0, 2, 0), 1, true},
		{"unpadded last", []byte{5, 0, 1, 0, 7}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := packet.NewAttrScanner(tt.b)
			n := 0
			for s.Next() {
				n++
			}
			if n != tt.attrs || (s.Err() != nil) != tt.err {
				t.Errorf("got %d attrs, err %v; want %d, error %v", n, s.Err(), tt.attrs, tt.err)
			}
			if tt.err && !errors.Is(s.Err(), packet.ErrTruncated) {
				t.Errorf("err %v is not ErrTruncated", s.Err())
			}
		})
	}
}

func TestAttrFlags(t *testing.T) {
	b := append(attr(5|unix.NLA_F_NESTED, attr(1, 1, 0, 0, 0)...), attr(6|unix.NLA_F_NET_BYTEORDER, 0x12, 0x34)...)
	attrs, err := packet.ParseAttrs(b)
	if err != nil {
		t.Fatal(err)
	}
	if attrs[0].Type != 5 || !attrs[0].Nested || attrs[0].NetByteOrder {
		t.Errorf("nested attr: %+v", attrs[0])
	}
	if attrs[1].Type != 6 || attrs[1].Nested || !attrs[1].NetByteOrder {
		t.Errorf("net-order attr: %+v", attrs[1])
	}
	if v, _ := attrs[1].Uint16(); v != 0x1234 {
		t.Errorf("net-order u16 = %#x, want 0x1234", v)
	}
}

func TestTypedGetters(t *testing.T) {
	le := func(v ...byte) packet.Attr { return packet.Attr{Type: 1, Value: v} }
	type getter struct {
		name string
		get  func(packet.Attr) (any, error)
	}
	u8 := getter{"u8", func(a packet.Attr) (any, error) { return a.Uint8() }}
	u16 := getter{"u16", func(a packet.Attr) (any, error) { return a.Uint16() }}
	u32 := getter{"u32", func(a packet.Attr) (any, error) { return a.Uint32() }}
	u64 := getter{"u64", func(a packet.Attr) (any, error) { return a.Uint64() }}
	s8 := getter{"s8", func(a packet.Attr) (any, error) { return a.Int8() }}
	s16 := getter{"s16", func(a packet.Attr) (any, error) { return a.Int16() }}
	s32 := getter{"s32", func(a packet.Attr) (any, error) { return a.Int32() }}
	s64 := getter{"s64", func(a packet.Attr) (any, error) { return a.Int64() }}
	be16 := getter{"be16", func(a packet.Attr) (any, error) { return a.BE16() }}
	be32 := getter{"be32", func(a packet.Attr) (any, error) { return a.BE32() }}
	uvar := getter{"uint", func(a packet.Attr) (any, error) { return a.Uint() }}
	flag := getter{"flag", func(a packet.Attr) (any, error) { return a.Flag() }}
	addr := getter{"addr", func(a packet.Attr) (any, error) { return a.Addr() }}
	mac := getter{"mac", func(a packet.Attr) (any, error) { v, err := a.HardwareAddr(); return v.String(), err }}
	tests := []struct {
		g    getter
		a    packet.Attr
		want any
		err  bool
	}{
		{u8, le(7), uint8(7), false},
		{u8, le(7, 0), nil, true},
		{u16, le(1, 2), uint16(0x0201), false},
		{u16, le(1), nil, true},
		{u32, le(1, 0, 0, 0), uint32(1), false},
		{u32, le(1, 0, 0), nil, true},
		{u64, le(1, 0, 0, 0, 0, 0, 0, 0), uint64(1), false},
		{u64, le(1, 0, 0, 0), nil, true},
		{s8, le(0xff), int8(-1), false},
		{s16, le(0xfe, 0xff), int16(-2), false},
		{s32, le(0xfd, 0xff, 0xff, 0xff), int32(-3), false},
		{s64, le(0xfc, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), int64(-4), false},
		{be16, le(0x1f, 0x90), uint16(8080), false},
		{be32, le(0, 0, 1, 0), uint32(256), false},
		{be32, le(0, 1), nil, true},
		{uvar, le(5), uint64(5), false},
		{uvar, le(5, 0, 0, 0), uint64(5), false},
		{uvar, le(5, 0, 0), nil, true},
		{flag, le(), true, false},
		{flag, le(1), nil, true},
		{addr, le(10, 0, 0, 1), netip.MustParseAddr("10.0.0.1"), false},
		{addr, le(0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), netip.MustParseAddr("2001:db8::1"), false},
		{addr, le(10, 0, 0), nil, true},
		{mac, le(2, 0, 0, 0, 0, 1), "02:00:00:00:00:01", false},
		{mac, le(), nil, true},
	}
	for _, tt := range tests {
		got, err := tt.g.get(tt.a)
		if tt.err {
			var se *packet.SizeError
			if !errors.As(err, &se) {
				t.Errorf("%s(% x): got %v, %v; want a *SizeError", tt.g.name, tt.a.Value, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s(% x) = %v, %v; want %v", tt.g.name, tt.a.Value, got, err, tt.want)
		}
	}
}

func TestStringAndPrefix(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte("eth0\x00"), "eth0"},
		{[]byte("eth0"), "eth0"},
		{[]byte("a\x00b"), "a"},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := (packet.Attr{Value: tt.in}).String(); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	a := packet.Attr{Value: []byte{10, 1, 0, 0}}
	if p, err := a.Prefix(16); err != nil || p != netip.MustParsePrefix("10.1.0.0/16") {
		t.Errorf("Prefix(16) = %v, %v", p, err)
	}
	if _, err := a.Prefix(33); err == nil {
		t.Error("Prefix(33) of an IPv4 address: want an error")
	}
	if !bytes.Equal(a.Bytes(), a.Value) {
		t.Error("Bytes is not the payload")
	}
}
