package packet

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// AttrHeaderLen is the length of an attribute header (struct nlattr).
const AttrHeaderLen = unix.NLA_HDRLEN

// attrTypeMask clears the two flag bits that share the type field.
const attrTypeMask = ^uint16(unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER)

// Attr is one netlink attribute. Value aliases the buffer it was read from
// and excludes the header and the trailing padding.
type Attr struct {
	// Type is the attribute type with the NLA_F_NESTED and
	// NLA_F_NET_BYTEORDER bits cleared.
	Type uint16
	// Nested is true when the sender set NLA_F_NESTED.
	Nested bool
	// NetByteOrder is true when the sender set NLA_F_NET_BYTEORDER.
	NetByteOrder bool
	// Value is the payload.
	Value []byte
}

// AttrScanner walks the attributes of a buffer, flat: a nested attribute is
// returned whole, and a new scanner over its Value walks its children. It
// copies nothing and does not allocate.
//
//	for s := packet.NewAttrScanner(b); s.Next(); {
//		a := s.Attr()
//		switch a.Type {
//		case unix.IFLA_MTU:
//			mtu, err := a.Uint32()
//			_, _ = mtu, err
//		}
//	}
type AttrScanner struct {
	buf  []byte
	off  int
	attr Attr
	err  error
}

// NewAttrScanner returns a scanner over the attributes in b.
func NewAttrScanner(b []byte) AttrScanner { return AttrScanner{buf: b} }

// Next advances to the next attribute and reports whether there is one. It
// stops at the end of the buffer or at the first attribute whose length is
// malformed; Err tells which. Trailing bytes too short to hold an attribute
// header are an error as well.
func (s *AttrScanner) Next() bool {
	if s.err != nil || s.off >= len(s.buf) {
		return false
	}
	rest := s.buf[s.off:]
	if len(rest) < AttrHeaderLen {
		s.err = &LengthError{What: "attribute", Offset: s.off, Length: len(rest), Avail: len(rest)}
		return false
	}
	n := int(binary.NativeEndian.Uint16(rest[0:2]))
	t := binary.NativeEndian.Uint16(rest[2:4])
	if n < AttrHeaderLen || n > len(rest) {
		s.err = &LengthError{What: "attribute", Offset: s.off, Length: n, Avail: len(rest)}
		return false
	}
	s.attr = Attr{
		Type:         t & attrTypeMask,
		Nested:       t&unix.NLA_F_NESTED != 0,
		NetByteOrder: t&unix.NLA_F_NET_BYTEORDER != 0,
		Value:        rest[AttrHeaderLen:n:n],
	}
	s.off += min(Align(n), len(rest))
	return true
}

// Attr returns the attribute found by the last call to Next.
func (s *AttrScanner) Attr() Attr { return s.attr }

// Offset returns where the next attribute starts, relative to the buffer
// given to NewAttrScanner. Before the first call to Next it is 0; after a
// successful Next the current attribute starts at the previous Offset.
func (s *AttrScanner) Offset() int { return s.off }

// Err returns the error that stopped the scan, or nil at a clean end.
func (s *AttrScanner) Err() error { return s.err }

// ParseAttrs returns every attribute in b, flat, without copying. The hot
// paths use AttrScanner, which does not allocate.
func ParseAttrs(b []byte) ([]Attr, error) {
	var attrs []Attr
	s := NewAttrScanner(b)
	for s.Next() {
		attrs = append(attrs, s.Attr())
	}
	return attrs, s.Err()
}

// SizeError reports an attribute whose payload has the wrong size for the
// type it is read as.
type SizeError struct {
	Type uint16 // attribute type
	As   string // the type it was read as, e.g. "u32"
	Want int    // the size expected, or the minimum size
	Got  int    // the size found
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("netlink: attribute %d: %d bytes cannot be read as %s (want %d)", e.Type, e.Got, e.As, e.Want)
}

func (a Attr) sized(as string, want int) ([]byte, error) {
	if len(a.Value) != want {
		return nil, &SizeError{Type: a.Type, As: as, Want: want, Got: len(a.Value)}
	}
	return a.Value, nil
}

// Uint8 reads the payload as a u8.
func (a Attr) Uint8() (uint8, error) {
	b, err := a.sized("u8", 1)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

// Uint16 reads the payload as a u16 in host byte order, or in network byte
// order when NLA_F_NET_BYTEORDER is set.
func (a Attr) Uint16() (uint16, error) {
	b, err := a.sized("u16", 2)
	if err != nil {
		return 0, err
	}
	if a.NetByteOrder {
		return binary.BigEndian.Uint16(b), nil
	}
	return binary.NativeEndian.Uint16(b), nil
}

// Uint32 reads the payload as a u32 in host byte order, or in network byte
// order when NLA_F_NET_BYTEORDER is set.
func (a Attr) Uint32() (uint32, error) {
	b, err := a.sized("u32", 4)
	if err != nil {
		return 0, err
	}
	if a.NetByteOrder {
		return binary.BigEndian.Uint32(b), nil
	}
	return binary.NativeEndian.Uint32(b), nil
}

// Uint64 reads the payload as a u64 in host byte order, or in network byte
// order when NLA_F_NET_BYTEORDER is set.
func (a Attr) Uint64() (uint64, error) {
	b, err := a.sized("u64", 8)
	if err != nil {
		return 0, err
	}
	if a.NetByteOrder {
		return binary.BigEndian.Uint64(b), nil
	}
	return binary.NativeEndian.Uint64(b), nil
}

// Uint reads a variable-width unsigned integer (the kernel's NLA_UINT): a
// u8, u16, u32 or u64, depending on the payload length.
func (a Attr) Uint() (uint64, error) {
	switch len(a.Value) {
	case 1:
		v, err := a.Uint8()
		return uint64(v), err
	case 2:
		v, err := a.Uint16()
		return uint64(v), err
	case 4:
		v, err := a.Uint32()
		return uint64(v), err
	case 8:
		return a.Uint64()
	}
	return 0, &SizeError{Type: a.Type, As: "uint", Want: 8, Got: len(a.Value)}
}

// Int8 reads the payload as an s8.
func (a Attr) Int8() (int8, error) { v, err := a.Uint8(); return int8(v), signed(err) }

// Int16 reads the payload as an s16.
func (a Attr) Int16() (int16, error) { v, err := a.Uint16(); return int16(v), signed(err) }

// Int32 reads the payload as an s32.
func (a Attr) Int32() (int32, error) { v, err := a.Uint32(); return int32(v), signed(err) }

// Int64 reads the payload as an s64.
func (a Attr) Int64() (int64, error) { v, err := a.Uint64(); return int64(v), signed(err) }

// signed renames the type of a SizeError from the unsigned getter that
// failed ("u32") to the signed one that was called ("s32").
func signed(err error) error {
	if se, ok := err.(*SizeError); ok {
		se.As = "s" + se.As[1:]
	}
	return err
}

// BE16 reads the payload as a big-endian u16, such as a port number, whether
// or not NLA_F_NET_BYTEORDER is set.
func (a Attr) BE16() (uint16, error) {
	b, err := a.sized("be16", 2)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint16(b), nil
}

// BE32 reads the payload as a big-endian u32, whether or not
// NLA_F_NET_BYTEORDER is set.
func (a Attr) BE32() (uint32, error) {
	b, err := a.sized("be32", 4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b), nil
}

// String reads the payload as a string. A trailing NUL and anything after the
// first NUL are dropped, as the kernel's nla_strscpy does. The string is a
// copy; use Bytes for a view.
func (a Attr) String() string {
	b := a.Value
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	return string(b)
}

// Bytes returns the payload without copying it.
func (a Attr) Bytes() []byte { return a.Value }

// Flag reports whether a flag attribute is well formed: a flag is true by
// its presence and must have an empty payload.
func (a Attr) Flag() (bool, error) {
	if len(a.Value) != 0 {
		return false, &SizeError{Type: a.Type, As: "flag", Want: 0, Got: len(a.Value)}
	}
	return true, nil
}

// Addr reads the payload as an IPv4 (4 bytes) or IPv6 (16 bytes) address.
func (a Attr) Addr() (netip.Addr, error) {
	if ip, ok := netip.AddrFromSlice(a.Value); ok {
		return ip, nil
	}
	return netip.Addr{}, &SizeError{Type: a.Type, As: "ip address", Want: 16, Got: len(a.Value)}
}

// Prefix reads the payload as an address and pairs it with bits, the prefix
// length, which netlink carries in the family header (rtm_dst_len,
// ifa_prefixlen, ...). The address is not masked, as the kernel reports it.
func (a Attr) Prefix(bits int) (netip.Prefix, error) {
	ip, err := a.Addr()
	if err != nil {
		return netip.Prefix{}, err
	}
	p := netip.PrefixFrom(ip, bits)
	if !p.IsValid() {
		return netip.Prefix{}, fmt.Errorf("netlink: attribute %d: prefix length %d is out of range for %v", a.Type, bits, ip)
	}
	return p, nil
}

// HardwareAddr returns the payload as a link-layer address. It is a view,
// not a copy; most link-layer addresses are 6 bytes, but InfiniBand uses 20
// and tunnels use 4 or 16, so any non-empty length is accepted.
func (a Attr) HardwareAddr() (net.HardwareAddr, error) {
	if len(a.Value) == 0 {
		return nil, &SizeError{Type: a.Type, As: "hardware address", Want: 1, Got: 0}
	}
	return net.HardwareAddr(a.Value), nil
}

// Attrs returns a scanner over the payload, for a nested attribute.
func (a Attr) Attrs() AttrScanner { return NewAttrScanner(a.Value) }
