// Package packet is the netlink wire codec: message headers, attributes and
// errors. It works on byte slices only and makes no system calls, so every
// part of it can be tested and fuzzed without privileges.
//
// Decoding is zero-copy: a [Message] and an [Attr] are views into the buffer
// they were read from, valid as long as that buffer is. Encoding appends to a
// buffer owned by the caller; see [Encoder].
//
// Reading the messages of one receive buffer:
//
//	for s := packet.NewMessageScanner(buf); s.Next(); {
//		m := s.Message()
//		switch m.Header.Type {
//		case unix.NLMSG_DONE:
//			// end of a dump
//		case unix.NLMSG_ERROR:
//			e, err := packet.ParseError(m)
//			_, _ = e, err
//		}
//	}
//
// Per-family codecs (route, tc, generic netlink, ...) live in sub-packages
// and are built from the primitives here.
package packet

import (
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// HeaderLen is the length of a netlink message header (struct nlmsghdr).
const HeaderLen = unix.NLMSG_HDRLEN

// Align rounds n up to the netlink alignment of four bytes. It is used for
// both messages and attributes, which share the same alignment.
func Align(n int) int { return (n + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1) }

// Message is one netlink message: its header and its payload. Data aliases the
// buffer the message was parsed from.
type Message struct {
	Header unix.NlMsghdr
	// Data is the payload after the header, without trailing padding.
	Data []byte
}

// ErrTruncated reports a length field that points past the end of its
// buffer, or a buffer too short to hold the header it should start with.
var ErrTruncated = errors.New("netlink: truncated data")

// LengthError reports a message or attribute whose length field is
// inconsistent with the data around it.
type LengthError struct {
	// What names the kind of object: "message" or "attribute".
	What string
	// Offset is where the object starts in the buffer that was parsed.
	Offset int
	// Length is the length field as it was read.
	Length int
	// Avail is the number of bytes that were left in the buffer.
	Avail int
}

func (e *LengthError) Error() string {
	return fmt.Sprintf("netlink: bad %s length %d at offset %d (%d bytes left)", e.What, e.Length, e.Offset, e.Avail)
}

// Unwrap makes errors.Is(err, ErrTruncated) true for every LengthError.
func (e *LengthError) Unwrap() error { return ErrTruncated }

// ParseHeader decodes the nlmsghdr at the start of b. It does not check the
// length field against len(b).
func ParseHeader(b []byte) (unix.NlMsghdr, error) {
	if len(b) < HeaderLen {
		return unix.NlMsghdr{}, &LengthError{What: "message", Length: len(b), Avail: len(b)}
	}
	return unix.NlMsghdr{
		Len:   binary.NativeEndian.Uint32(b[0:4]),
		Type:  binary.NativeEndian.Uint16(b[4:6]),
		Flags: binary.NativeEndian.Uint16(b[6:8]),
		Seq:   binary.NativeEndian.Uint32(b[8:12]),
		Pid:   binary.NativeEndian.Uint32(b[12:16]),
	}, nil
}

// PutHeader writes h into the first HeaderLen bytes of b, which must be long
// enough.
func PutHeader(b []byte, h unix.NlMsghdr) {
	binary.NativeEndian.PutUint32(b[0:4], h.Len)
	binary.NativeEndian.PutUint16(b[4:6], h.Type)
	binary.NativeEndian.PutUint16(b[6:8], h.Flags)
	binary.NativeEndian.PutUint32(b[8:12], h.Seq)
	binary.NativeEndian.PutUint32(b[12:16], h.Pid)
}

// SetSeq overwrites the sequence number of the message that starts at b[0].
// The socket layer uses it to number requests that were encoded in advance.
func SetSeq(b []byte, seq uint32) { binary.NativeEndian.PutUint32(b[8:12], seq) }

// SetPortID overwrites the port ID of the message that starts at b[0].
func SetPortID(b []byte, pid uint32) { binary.NativeEndian.PutUint32(b[12:16], pid) }

// MessageScanner walks the messages of a buffer as it was received from a
// netlink socket: headers back to back, each aligned to four bytes. It does
// not copy: every Message it returns aliases the buffer.
//
// The zero value scans nothing; use [NewMessageScanner].
type MessageScanner struct {
	buf []byte
	off int
	msg Message
	err error
}

// NewMessageScanner returns a scanner over the messages in b.
func NewMessageScanner(b []byte) MessageScanner { return MessageScanner{buf: b} }

// Next advances to the next message and reports whether there is one. It
// returns false at the end of the buffer or at the first malformed header;
// Err tells which.
func (s *MessageScanner) Next() bool {
	if s.err != nil || s.off >= len(s.buf) {
		return false
	}
	rest := s.buf[s.off:]
	h, err := ParseHeader(rest)
	if err != nil {
		s.err = &LengthError{What: "message", Offset: s.off, Length: len(rest), Avail: len(rest)}
		return false
	}
	n := int(h.Len)
	if n < HeaderLen || n > len(rest) {
		s.err = &LengthError{What: "message", Offset: s.off, Length: n, Avail: len(rest)}
		return false
	}
	s.msg = Message{Header: h, Data: rest[HeaderLen:n:n]}
	s.off += min(Align(n), len(rest))
	return true
}

// Message returns the message found by the last call to Next.
func (s *MessageScanner) Message() Message { return s.msg }

// Offset returns where the next message starts in the buffer.
func (s *MessageScanner) Offset() int { return s.off }

// Err returns the error that stopped the scan, or nil at a clean end.
func (s *MessageScanner) Err() error { return s.err }

// ParseMessages returns every message in b. It copies nothing: the messages
// alias b. It is a convenience for tests and small replies; the hot paths use
// MessageScanner, which does not allocate.
func ParseMessages(b []byte) ([]Message, error) {
	var msgs []Message
	s := NewMessageScanner(b)
	for s.Next() {
		msgs = append(msgs, s.Message())
	}
	return msgs, s.Err()
}

// Flags is the flags field of a message header. Its String method names the
// flags the way the kernel headers do, taking the message type into account
// where the same bit means different things.
type Flags uint16

// FlagNames returns the names of the set bits of f for a message of type
// typ. The bits above 0x80 mean different things for a GET request
// (ROOT, MATCH), a NEW request (REPLACE, EXCL, CREATE, APPEND), a DELETE
// request (NONREC, BULK) and an NLMSG_ERROR reply (CAPPED, ACK_TLVS). The
// request kind is read from the conventional rtnetlink numbering: type%4 is
// 0 for NEW, 1 for DEL and 2 for GET.
func FlagNames(f Flags, typ uint16, request bool) []string {
	var names []string
	add := func(bit uint16, name string) {
		if uint16(f)&bit != 0 {
			names = append(names, name)
			f &^= Flags(bit)
		}
	}
	add(unix.NLM_F_REQUEST, "REQUEST")
	add(unix.NLM_F_MULTI, "MULTI")
	add(unix.NLM_F_ACK, "ACK")
	add(unix.NLM_F_ECHO, "ECHO")
	add(unix.NLM_F_DUMP_INTR, "DUMP_INTR")
	add(unix.NLM_F_DUMP_FILTERED, "DUMP_FILTERED")
	switch {
	case typ == unix.NLMSG_ERROR:
		add(unix.NLM_F_CAPPED, "CAPPED")
		add(unix.NLM_F_ACK_TLVS, "ACK_TLVS")
	case typ == unix.NLMSG_DONE:
		// A DONE that carries an extended ACK has ACK_TLVS set.
		add(unix.NLM_F_ACK_TLVS, "ACK_TLVS")
	case request && typ >= unix.RTM_BASE && typ%4 == 2:
		add(unix.NLM_F_ROOT, "ROOT")
		add(unix.NLM_F_MATCH, "MATCH")
		add(unix.NLM_F_ATOMIC, "ATOMIC")
	case request && typ >= unix.RTM_BASE && typ%4 == 1:
		add(unix.NLM_F_NONREC, "NONREC")
		add(unix.NLM_F_BULK, "BULK")
	case request:
		add(unix.NLM_F_REPLACE, "REPLACE")
		add(unix.NLM_F_EXCL, "EXCL")
		add(unix.NLM_F_CREATE, "CREATE")
		add(unix.NLM_F_APPEND, "APPEND")
	}
	if f != 0 {
		names = append(names, fmt.Sprintf("0x%x", uint16(f)))
	}
	return names
}
