package packet

import (
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// Extended-ACK attribute types (enum nlmsgerr_attrs) that
// golang.org/x/sys/unix does not define yet. MSG, OFFS and COOKIE come from
// unix.NLMSGERR_ATTR_*.
const (
	NLMSGERR_ATTR_POLICY    = 4 // nested: the policy of the rejected attribute
	NLMSGERR_ATTR_MISS_TYPE = 5 // u32: type of a missing required attribute
	NLMSGERR_ATTR_MISS_NEST = 6 // u32: offset of the nest that lacks it
)

// Error is a decoded NLMSG_ERROR or NLMSG_DONE message, with every
// extended-ACK field the kernel attached. An Error whose Errno is zero is an
// acknowledgement; it may still carry a warning in Message.
//
// Error wraps its errno, so errors.Is(err, unix.EEXIST) works.
type Error struct {
	// Errno is the error the kernel reported, positive, or zero for success.
	Errno unix.Errno
	// Header is the header of the request this answers, as the kernel
	// echoed it. For NLMSG_DONE it is the DONE message's own header.
	Header unix.NlMsghdr
	// Message is the human-readable text (NLMSGERR_ATTR_MSG).
	Message string
	// Offset is the byte offset, from the start of the request's nlmsghdr,
	// of the attribute that caused the error (NLMSGERR_ATTR_OFFS). It is
	// meaningful only when HasOffset is true.
	Offset    uint32
	HasOffset bool
	// Cookie is the opaque cookie (NLMSGERR_ATTR_COOKIE), copied.
	Cookie []byte
	// Policy is the policy of the offending attribute
	// (NLMSGERR_ATTR_POLICY), or nil.
	Policy *Policy
	// MissType is the type of a required attribute that was missing
	// (NLMSGERR_ATTR_MISS_TYPE), or zero. Attribute type 0 is never valid,
	// so zero means absent.
	MissType uint16
	// MissNest is the offset of the nest in which MissType was missing
	// (NLMSGERR_ATTR_MISS_NEST); zero means the top level of the message.
	MissNest uint32
	// Request is a copy of the request that failed, when the socket layer
	// knows it. With it, Locate maps Offset and MissNest to attributes.
	Request []byte
	// AttrName names the offending attribute, when a family codec resolved
	// Offset or MissType to a name. The packet layer leaves it empty.
	AttrName string
	// Op names the request, for example "RTM_NEWROUTE", when the layer
	// that sent it knows a name. The packet layer leaves it empty.
	Op string
}

// Error formats the error like iproute2 does, followed by every
// extended-ACK detail: "RTM_NEWROUTE: EINVAL (invalid argument): Invalid
// prefix for given prefix length (attribute RTA_DST, offset 32)".
func (e *Error) Error() string {
	var sb strings.Builder
	if e.Op != "" {
		sb.WriteString(e.Op)
		sb.WriteString(": ")
	}
	if e.Errno != 0 {
		fmt.Fprintf(&sb, "%s (%s)", ErrnoName(e.Errno), e.Errno.Error())
	} else {
		sb.WriteString("warning")
	}
	if e.Message != "" {
		sb.WriteString(": ")
		sb.WriteString(e.Message)
	}
	var details []string
	switch {
	case e.AttrName != "" && e.MissType == 0:
		details = append(details, "attribute "+e.AttrName)
	case e.HasOffset:
		details = append(details, fmt.Sprintf("offset %d", e.Offset))
	}
	if e.MissType != 0 {
		if e.AttrName != "" {
			details = append(details, "missing attribute "+e.AttrName)
		} else {
			details = append(details, fmt.Sprintf("missing attribute type %d", e.MissType))
		}
		if e.MissNest != 0 {
			details = append(details, fmt.Sprintf("in the nest at offset %d", e.MissNest))
		}
	}
	if e.Policy != nil {
		details = append(details, "policy: "+e.Policy.String())
	}
	if len(e.Cookie) > 0 {
		details = append(details, fmt.Sprintf("cookie %x", e.Cookie))
	}
	if len(details) > 0 {
		sb.WriteString(" (")
		sb.WriteString(strings.Join(details, ", "))
		sb.WriteString(")")
	}
	return sb.String()
}

// Unwrap returns the errno, or nil for an acknowledgement.
func (e *Error) Unwrap() error {
	if e.Errno == 0 {
		return nil
	}
	return e.Errno
}

// Locate maps the error's Offset back to the attribute of Request that it
// points into. fixedLen is the length of the family header (for example 12
// for rtmsg, 16 for ifinfomsg) that precedes the attributes. It returns nil
// when the error has no offset or no request, or when the offset does not
// fall on an attribute.
func (e *Error) Locate(fixedLen int) AttrPath {
	if !e.HasOffset || e.Request == nil {
		return nil
	}
	return LocateAttr(e.Request, fixedLen, int(e.Offset))
}

// LocateMissNest maps MissNest to the nest of Request that lacks the
// attribute MissType. It returns nil for the top level or when unknown.
func (e *Error) LocateMissNest(fixedLen int) AttrPath {
	if e.MissNest == 0 || e.Request == nil {
		return nil
	}
	return LocateAttr(e.Request, fixedLen, int(e.MissNest))
}

// ErrnoName returns the symbolic name of an errno, such as "EEXIST", or
// "errno N" for a number without a name.
func ErrnoName(e unix.Errno) string {
	// 95 has two names; the kernel and iproute2 say EOPNOTSUPP.
	if e == unix.EOPNOTSUPP {
		return "EOPNOTSUPP"
	}
	if name := unix.ErrnoName(e); name != "" {
		return name
	}
	return fmt.Sprintf("errno %d", int(e))
}

// ParseError decodes an NLMSG_ERROR or NLMSG_DONE message, including its
// extended-ACK attributes. It handles both capped acknowledgements
// (NETLINK_CAP_ACK, where only the request's header is echoed) and uncapped
// ones, where the whole request precedes the TLVs.
//
// The returned Error aliases nothing in m: strings and the cookie are
// copied. A malformed message is reported as the second result.
func ParseError(m Message) (*Error, error) {
	switch m.Header.Type {
	case unix.NLMSG_ERROR:
		return parseNlmsgerr(m)
	case unix.NLMSG_DONE:
		return parseDone(m)
	}
	return nil, fmt.Errorf("netlink: message type %d is not NLMSG_ERROR or NLMSG_DONE", m.Header.Type)
}

func errnoFrom(code int32) unix.Errno {
	if code < 0 {
		code = -code
	}
	return unix.Errno(code)
}

func parseNlmsgerr(m Message) (*Error, error) {
	b := m.Data
	if len(b) < 4+HeaderLen {
		return nil, &LengthError{What: "error message", Length: len(b), Avail: len(b)}
	}
	e := &Error{Errno: errnoFrom(int32(binary.NativeEndian.Uint32(b[0:4])))}
	e.Header, _ = ParseHeader(b[4:])
	tlvs := 4 + HeaderLen
	if m.Header.Flags&unix.NLM_F_CAPPED == 0 {
		// The kernel echoes the whole request; the TLVs follow it.
		n := int(e.Header.Len)
		if n < HeaderLen {
			return nil, &LengthError{What: "echoed request", Offset: 4, Length: n, Avail: len(b) - 4}
		}
		tlvs = 4 + Align(n)
	}
	if m.Header.Flags&unix.NLM_F_ACK_TLVS == 0 {
		return e, nil
	}
	if tlvs > len(b) {
		return nil, &LengthError{What: "echoed request", Offset: 4, Length: int(e.Header.Len), Avail: len(b) - 4}
	}
	return e, e.parseTLVs(b[tlvs:])
}

func parseDone(m Message) (*Error, error) {
	e := &Error{Header: m.Header}
	b := m.Data
	if len(b) < 4 {
		// Some families end a dump with an empty NLMSG_DONE.
		return e, nil
	}
	e.Errno = errnoFrom(int32(binary.NativeEndian.Uint32(b[0:4])))
	if m.Header.Flags&unix.NLM_F_ACK_TLVS == 0 {
		return e, nil
	}
	return e, e.parseTLVs(b[4:])
}

func (e *Error) parseTLVs(b []byte) error {
	s := NewAttrScanner(b)
	for s.Next() {
		a := s.Attr()
		var err error
		switch a.Type {
		case unix.NLMSGERR_ATTR_MSG:
			e.Message = a.String()
		case unix.NLMSGERR_ATTR_OFFS:
			e.Offset, err = a.Uint32()
			e.HasOffset = err == nil
		case unix.NLMSGERR_ATTR_COOKIE:
			e.Cookie = append([]byte(nil), a.Value...)
		case NLMSGERR_ATTR_POLICY:
			e.Policy, err = ParsePolicy(a.Value)
		case NLMSGERR_ATTR_MISS_TYPE:
			var t uint32
			t, err = a.Uint32()
			e.MissType = uint16(t)
		case NLMSGERR_ATTR_MISS_NEST:
			e.MissNest, err = a.Uint32()
		}
		if err != nil {
			return fmt.Errorf("netlink: extended ACK attribute %d: %w", a.Type, err)
		}
	}
	return s.Err()
}

// Policy describes the validation policy of one attribute, as the kernel
// reports it in NLMSGERR_ATTR_POLICY or in a CTRL_CMD_GETPOLICY dump
// (NL_POLICY_TYPE_ATTR_*). Only the fields that the kernel sent are set;
// Has records which.
type Policy struct {
	// Type is the attribute type, one of unix.NL_ATTR_TYPE_*.
	Type uint32
	// MinValue and MaxValue are the signed range (HasSignedRange).
	MinValue, MaxValue int64
	// MinUValue and MaxUValue are the unsigned range (HasUnsignedRange).
	MinUValue, MaxUValue uint64
	// MinLength and MaxLength bound a binary or string payload.
	MinLength, MaxLength uint32
	// PolicyIdx and MaxType describe a nested policy.
	PolicyIdx, MaxType uint32
	// Bitfield32Mask is the valid bits of a bitfield32.
	Bitfield32Mask uint32
	// Mask is the valid bits of an integer.
	Mask uint64
	// Has is a bit set of 1<<NL_POLICY_TYPE_ATTR_* for every field sent.
	Has uint32
}

// ParsePolicy decodes the NL_POLICY_TYPE_ATTR_* attributes in b.
func ParsePolicy(b []byte) (*Policy, error) {
	p := &Policy{}
	s := NewAttrScanner(b)
	for s.Next() {
		a := s.Attr()
		var err error
		switch a.Type {
		case unix.NL_POLICY_TYPE_ATTR_TYPE:
			p.Type, err = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			p.MinValue, err = a.Int64()
		case unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			p.MaxValue, err = a.Int64()
		case unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			p.MinUValue, err = a.Uint64()
		case unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			p.MaxUValue, err = a.Uint64()
		case unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			p.MinLength, err = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			p.MaxLength, err = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_POLICY_IDX:
			p.PolicyIdx, err = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE:
			p.MaxType, err = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK:
			p.Bitfield32Mask, err = a.Uint32()
		case unix.NL_POLICY_TYPE_ATTR_MASK:
			p.Mask, err = a.Uint64()
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("netlink: policy attribute %d: %w", a.Type, err)
		}
		if a.Type < 32 {
			p.Has |= 1 << a.Type
		}
	}
	return p, s.Err()
}

// PolicyTypeName returns the name of an NL_ATTR_TYPE_* value, such as "u32"
// or "nested".
func PolicyTypeName(t uint32) string {
	names := [...]string{
		unix.NL_ATTR_TYPE_INVALID:      "invalid",
		unix.NL_ATTR_TYPE_FLAG:         "flag",
		unix.NL_ATTR_TYPE_U8:           "u8",
		unix.NL_ATTR_TYPE_U16:          "u16",
		unix.NL_ATTR_TYPE_U32:          "u32",
		unix.NL_ATTR_TYPE_U64:          "u64",
		unix.NL_ATTR_TYPE_S8:           "s8",
		unix.NL_ATTR_TYPE_S16:          "s16",
		unix.NL_ATTR_TYPE_S32:          "s32",
		unix.NL_ATTR_TYPE_S64:          "s64",
		unix.NL_ATTR_TYPE_BINARY:       "binary",
		unix.NL_ATTR_TYPE_STRING:       "string",
		unix.NL_ATTR_TYPE_NUL_STRING:   "nul-string",
		unix.NL_ATTR_TYPE_NESTED:       "nested",
		unix.NL_ATTR_TYPE_NESTED_ARRAY: "nested-array",
		unix.NL_ATTR_TYPE_BITFIELD32:   "bitfield32",
		16:                             "sint",
		17:                             "uint",
	}
	if int(t) < len(names) {
		return names[t]
	}
	return fmt.Sprintf("type %d", t)
}

func (p *Policy) has(t uint16) bool { return p.Has&(1<<t) != 0 }

// String renders the policy compactly, e.g. "u32, range 1..4095".
func (p *Policy) String() string {
	parts := []string{PolicyTypeName(p.Type)}
	if p.has(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S) || p.has(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S) {
		parts = append(parts, fmt.Sprintf("range %d..%d", p.MinValue, p.MaxValue))
	}
	if p.has(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U) || p.has(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U) {
		parts = append(parts, fmt.Sprintf("range %d..%d", p.MinUValue, p.MaxUValue))
	}
	if p.has(unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH) {
		parts = append(parts, fmt.Sprintf("min length %d", p.MinLength))
	}
	if p.has(unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH) {
		parts = append(parts, fmt.Sprintf("max length %d", p.MaxLength))
	}
	if p.has(unix.NL_POLICY_TYPE_ATTR_POLICY_IDX) {
		parts = append(parts, fmt.Sprintf("policy %d, max type %d", p.PolicyIdx, p.MaxType))
	}
	if p.has(unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK) {
		parts = append(parts, fmt.Sprintf("mask 0x%x", p.Bitfield32Mask))
	}
	if p.has(unix.NL_POLICY_TYPE_ATTR_MASK) {
		parts = append(parts, fmt.Sprintf("mask 0x%x", p.Mask))
	}
	return strings.Join(parts, ", ")
}

// AttrRef is one step of an AttrPath: an attribute of a request, by type and
// by where it starts.
type AttrRef struct {
	// Type is the attribute type without flag bits.
	Type uint16
	// Offset is where the attribute's header starts, from the start of the
	// message's nlmsghdr, as the kernel counts.
	Offset int
}

// AttrPath leads from the top level of a message down to one attribute:
// the first element is a top-level attribute, each next one is inside the
// one before.
type AttrPath []AttrRef

// String renders the path as dotted types, e.g. "5.1".
func (p AttrPath) String() string {
	parts := make([]string, len(p))
	for i, r := range p {
		parts[i] = fmt.Sprint(r.Type)
	}
	return strings.Join(parts, ".")
}

// LocateAttr finds the attribute of the message msg that contains byte off,
// counted from the start of its nlmsghdr, as extended-ACK offsets are.
// fixedLen is the length of the family header before the attributes. It
// descends into an attribute whose payload parses cleanly as attributes,
// which covers nests with and without NLA_F_NESTED. It returns nil when off
// falls outside every attribute.
func LocateAttr(msg []byte, fixedLen int, off int) AttrPath {
	start := HeaderLen + Align(fixedLen)
	if len(msg) < start || off < start || off >= len(msg) {
		return nil
	}
	if h, err := ParseHeader(msg); err == nil && int(h.Len) <= len(msg) && int(h.Len) >= start {
		msg = msg[:h.Len]
	}
	var path AttrPath
	base, b := start, msg[start:]
	for {
		found := false
		s := NewAttrScanner(b)
		prev := 0
		for s.Next() {
			a := s.Attr()
			at := base + prev
			end := at + AttrHeaderLen + len(a.Value)
			prev = s.Offset()
			if off < at || off >= Align(end) {
				continue
			}
			path = append(path, AttrRef{Type: a.Type, Offset: at})
			inner := at + AttrHeaderLen
			if off >= inner && len(a.Value) >= AttrHeaderLen && (a.Nested || parsesAsAttrs(a.Value)) {
				base, b = inner, a.Value
				found = true
			}
			break
		}
		if !found {
			return path
		}
	}
}

// parsesAsAttrs reports whether b is a clean run of attributes.
func parsesAsAttrs(b []byte) bool {
	s := NewAttrScanner(b)
	for s.Next() {
	}
	return s.Err() == nil
}
