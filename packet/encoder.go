package packet

import (
	"encoding/binary"
	"errors"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// Encoder builds netlink messages by appending to a byte slice owned by the
// caller. Several messages can be appended one after another into the same
// buffer, which is how a batch is sent in one sendmsg.
//
// The Encoder never allocates unless the buffer must grow; reusing a buffer
// with enough capacity makes encoding allocation-free.
//
//	var e packet.Encoder
//	e.Reset(buf[:0])
//	e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE)
//	e.Append(rtmsg)                       // the fixed family header
//	e.Uint32(unix.RTA_TABLE, 100)
//	n := e.BeginNested(unix.RTA_MULTIPATH)
//	// ... nested attributes ...
//	e.EndNested(n)
//	e.EndMessage()
//	wire := e.Bytes()
//
// Lengths are patched when a message or nest ends, and every attribute is
// padded to four bytes. A nest written with BeginNested always carries
// NLA_F_NESTED, which the kernel requires for strictly validated attributes.
type Encoder struct {
	buf      []byte
	msgStart int
	inMsg    bool
	err      error
}

// ErrAttrTooLong reports an attribute or nest whose length does not fit the
// 16-bit length field of an attribute header.
var ErrAttrTooLong = errors.New("netlink: attribute longer than 65535 bytes")

// Err returns ErrAttrTooLong if an attribute or a nest written since the
// last Reset was too long to encode; the bytes are then unusable.
func (e *Encoder) Err() error { return e.err }

// NewEncoder returns an encoder that appends to b.
func NewEncoder(b []byte) *Encoder { return &Encoder{buf: b} }

// Reset makes the encoder append to b, forgetting any unfinished message.
func (e *Encoder) Reset(b []byte) { *e = Encoder{buf: b} }

// Bytes returns the encoded bytes: the buffer given to NewEncoder or Reset
// with everything appended since.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the number of bytes in the buffer.
func (e *Encoder) Len() int { return len(e.buf) }

// BeginMessage starts a message with the given type and flags. Sequence
// number and port ID are zero; the socket layer fills them when it sends.
// It returns the offset of the message in the buffer.
func (e *Encoder) BeginMessage(typ uint16, flags uint16) int {
	e.msgStart = len(e.buf)
	e.inMsg = true
	e.buf = append(e.buf, make([]byte, HeaderLen)...)
	PutHeader(e.buf[e.msgStart:], unix.NlMsghdr{Type: typ, Flags: flags})
	return e.msgStart
}

// EndMessage pads the current message and patches its length.
func (e *Encoder) EndMessage() {
	if !e.inMsg {
		return
	}
	e.pad()
	binary.NativeEndian.PutUint32(e.buf[e.msgStart:], uint32(len(e.buf)-e.msgStart))
	e.inMsg = false
}

// Append appends raw bytes, such as a fixed family header (ifinfomsg,
// rtmsg, genlmsghdr), and pads them to four bytes.
func (e *Encoder) Append(b []byte) {
	e.buf = append(e.buf, b...)
	e.pad()
}

// Grow appends n zero bytes, padded, and returns them for the caller to fill
// in place.
func (e *Encoder) Grow(n int) []byte {
	start := len(e.buf)
	e.buf = append(e.buf, make([]byte, Align(n))...)
	return e.buf[start : start+n]
}

func (e *Encoder) pad() {
	if n := Align(len(e.buf)) - len(e.buf); n > 0 {
		e.buf = append(e.buf, make([]byte, n)...)
	}
}

// header appends an attribute header for a payload of n bytes and returns
// the payload's slot, not yet padded.
func (e *Encoder) header(typ uint16, n int) []byte {
	start := len(e.buf)
	total := AttrHeaderLen + n
	if total > 0xffff {
		e.err = ErrAttrTooLong
	}
	e.buf = append(e.buf, make([]byte, Align(total))...)
	binary.NativeEndian.PutUint16(e.buf[start:], uint16(total))
	binary.NativeEndian.PutUint16(e.buf[start+2:], typ)
	return e.buf[start+AttrHeaderLen : start+total]
}

// Attr appends an attribute with the given type and payload. typ may carry
// NLA_F_NESTED or NLA_F_NET_BYTEORDER.
func (e *Encoder) Attr(typ uint16, v []byte) { copy(e.header(typ, len(v)), v) }

// Flag appends a flag attribute, which has no payload.
func (e *Encoder) Flag(typ uint16) { e.header(typ, 0) }

// Uint8 appends a u8 attribute.
func (e *Encoder) Uint8(typ uint16, v uint8) { e.header(typ, 1)[0] = v }

// Uint16 appends a u16 attribute in host byte order.
func (e *Encoder) Uint16(typ uint16, v uint16) {
	binary.NativeEndian.PutUint16(e.header(typ, 2), v)
}

// Uint32 appends a u32 attribute in host byte order.
func (e *Encoder) Uint32(typ uint16, v uint32) {
	binary.NativeEndian.PutUint32(e.header(typ, 4), v)
}

// Uint64 appends a u64 attribute in host byte order.
func (e *Encoder) Uint64(typ uint16, v uint64) {
	binary.NativeEndian.PutUint64(e.header(typ, 8), v)
}

// Int8 appends an s8 attribute.
func (e *Encoder) Int8(typ uint16, v int8) { e.Uint8(typ, uint8(v)) }

// Int16 appends an s16 attribute.
func (e *Encoder) Int16(typ uint16, v int16) { e.Uint16(typ, uint16(v)) }

// Int32 appends an s32 attribute.
func (e *Encoder) Int32(typ uint16, v int32) { e.Uint32(typ, uint32(v)) }

// Int64 appends an s64 attribute.
func (e *Encoder) Int64(typ uint16, v int64) { e.Uint64(typ, uint64(v)) }

// BE16 appends a big-endian u16 attribute, such as a port number. It does not
// set NLA_F_NET_BYTEORDER; pass it in typ where the family wants it.
func (e *Encoder) BE16(typ uint16, v uint16) {
	binary.BigEndian.PutUint16(e.header(typ, 2), v)
}

// BE32 appends a big-endian u32 attribute.
func (e *Encoder) BE32(typ uint16, v uint32) {
	binary.BigEndian.PutUint32(e.header(typ, 4), v)
}

// String appends a NUL-terminated string attribute.
func (e *Encoder) String(typ uint16, s string) {
	b := e.header(typ, len(s)+1)
	copy(b, s)
	b[len(s)] = 0
}

// Addr appends an IP address: 4 bytes for IPv4, 16 for IPv6. An
// IPv4-mapped IPv6 address such as ::ffff:10.0.0.1 stays 16 bytes, since
// it belongs to an IPv6 message (a route to ::ffff:0:0/96, say).
func (e *Encoder) Addr(typ uint16, ip netip.Addr) {
	if ip.Is4() {
		a := ip.As4()
		copy(e.header(typ, 4), a[:])
		return
	}
	a := ip.As16()
	copy(e.header(typ, 16), a[:])
}

// HardwareAddr appends a link-layer address.
func (e *Encoder) HardwareAddr(typ uint16, mac net.HardwareAddr) { e.Attr(typ, mac) }

// Nest is a nest under construction, returned by BeginNested.
type Nest struct{ start int }

// BeginNested starts a nested attribute and sets NLA_F_NESTED on it. End it
// with EndNested; nests may be nested.
func (e *Encoder) BeginNested(typ uint16) Nest {
	return e.beginNest(typ | unix.NLA_F_NESTED)
}

// BeginNestedRaw starts a nested attribute without setting NLA_F_NESTED, for
// the few old attributes (some tc options, IFLA_VFINFO_LIST elements) whose
// parsers reject the flag.
func (e *Encoder) BeginNestedRaw(typ uint16) Nest { return e.beginNest(typ) }

func (e *Encoder) beginNest(typ uint16) Nest {
	start := len(e.buf)
	e.buf = append(e.buf, 0, 0, 0, 0)
	binary.NativeEndian.PutUint16(e.buf[start+2:], typ)
	return Nest{start: start}
}

// EndNested patches the length of the nest n.
func (e *Encoder) EndNested(n Nest) {
	e.pad()
	n16 := len(e.buf) - n.start
	if n16 > 0xffff {
		e.err = ErrAttrTooLong
	}
	binary.NativeEndian.PutUint16(e.buf[n.start:], uint16(n16))
}
