package packet_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// Family header lengths for Locate.
const (
	genlHdrLen = unix.GENL_HDRLEN // struct genlmsghdr
	rtmsgLen   = unix.SizeofRtMsg
	ifaLen     = unix.SizeofIfAddrmsg
	ifiLen     = unix.SizeofIfInfomsg
)

// policyHas is the Has bit set of a Policy for the given NL_POLICY_TYPE_ATTR_*.
func policyHas(types ...int) uint32 {
	var h uint32
	for _, t := range types {
		h |= 1 << t
	}
	return h
}

// TestParseErrorFixtures decodes every error the kernel sent and checks it
// word for word: errno, message, offset and the attribute it points at in
// the request that was sent, missing attribute and nest, policy, and the
// text of Error().
func TestParseErrorFixtures(t *testing.T) {
	u32Range := &packet.Policy{Type: unix.NL_ATTR_TYPE_U32, MinUValue: 0, MaxUValue: 0xffffffff,
		Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U)}
	tests := []struct {
		name     string
		errno    unix.Errno
		msg      string
		flags    uint16 // of the NLMSG_ERROR or DONE
		fixed    int    // family header length of the request
		path     packet.AttrPath
		policy   *packet.Policy
		missType uint16
		missNest packet.AttrPath
		text     string // Error()
	}{
		{name: "ack", flags: unix.NLM_F_CAPPED, fixed: ifaLen,
			text: "warning"},
		{name: "ack_uncapped", flags: unix.NLM_F_CAPPED, fixed: ifaLen,
			text: "warning"},
		{name: "err_exists", errno: unix.EEXIST, msg: "ipv4: Address already assigned", flags: unix.NLM_F_ACK_TLVS, fixed: ifaLen,
			text: "EEXIST (file exists): ipv4: Address already assigned"},
		{name: "err_nodev", errno: unix.ENODEV, flags: unix.NLM_F_CAPPED, fixed: rtmsgLen,
			text: "ENODEV (no such device)"},
		{name: "err_prefixlen", errno: unix.EINVAL, msg: "Invalid prefix length", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: rtmsgLen,
			text: "EINVAL (invalid argument): Invalid prefix length"},
		{name: "err_prefixlen_uncapped", errno: unix.EINVAL, msg: "Invalid prefix length", flags: unix.NLM_F_ACK_TLVS, fixed: rtmsgLen,
			text: "EINVAL (invalid argument): Invalid prefix length"},
		{name: "err_policy", errno: unix.ERANGE, msg: "Attribute failed policy validation", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: ifaLen,
			path: packet.AttrPath{{Type: unix.IFA_LOCAL, Offset: 32}}, policy: u32Range,
			text: "ERANGE (numerical result out of range): Attribute failed policy validation (offset 32, policy: u32, range 0..4294967295)"},
		{name: "err_policy_uncapped", errno: unix.ERANGE, msg: "Attribute failed policy validation", flags: unix.NLM_F_ACK_TLVS, fixed: ifaLen,
			path: packet.AttrPath{{Type: unix.IFA_LOCAL, Offset: 32}}, policy: u32Range,
			text: "ERANGE (numerical result out of range): Attribute failed policy validation (offset 32, policy: u32, range 0..4294967295)"},
		{name: "err_policy_unaligned", errno: unix.ERANGE, msg: "Attribute failed policy validation", flags: unix.NLM_F_ACK_TLVS, fixed: ifaLen,
			path: packet.AttrPath{{Type: unix.IFA_LOCAL, Offset: 32}}, policy: u32Range,
			text: "ERANGE (numerical result out of range): Attribute failed policy validation (offset 32, policy: u32, range 0..4294967295)"},
		{name: "err_range", errno: unix.ERANGE, msg: "integer out of range", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: ifiLen,
			path: packet.AttrPath{{Type: unix.IFLA_NEW_IFINDEX, Offset: 40}},
			policy: &packet.Policy{Type: unix.NL_ATTR_TYPE_S32, MinValue: 1, MaxValue: 1<<31 - 1,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S)},
			text: "ERANGE (numerical result out of range): integer out of range (offset 40, policy: s32, range 1..2147483647)"},
		{name: "err_gso", errno: unix.EINVAL, msg: "too big gso_max_segs", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: ifiLen,
			text: "EINVAL (invalid argument): too big gso_max_segs"},
		{name: "err_nested", errno: unix.EINVAL, msg: "Unknown tcp congestion algorithm", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: rtmsgLen,
			text: "EINVAL (invalid argument): Unknown tcp congestion algorithm"},
		{name: "err_nexthop", errno: unix.EINVAL, msg: "Device attribute required for non-blackhole and non-fdb nexthops", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: 8,
			text: "EINVAL (invalid argument): Device attribute required for non-blackhole and non-fdb nexthops"},
		{name: "err_ethtool_mask", errno: unix.EINVAL, msg: "reserved bit set", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: genlHdrLen,
			path: packet.AttrPath{{Type: unix.ETHTOOL_A_LINKINFO_HEADER, Offset: 20}, {Type: unix.ETHTOOL_A_HEADER_FLAGS, Offset: 32}},
			text: "EINVAL (invalid argument): reserved bit set (offset 32)"},
		{name: "err_ethtool_range", errno: unix.ERANGE, msg: "integer out of range", flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: genlHdrLen,
			path: packet.AttrPath{{Type: unix.ETHTOOL_A_LINKMODES_LANES, Offset: 32}},
			policy: &packet.Policy{Type: unix.NL_ATTR_TYPE_U32, MinUValue: 1, MaxUValue: 8,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U)},
			text: "ERANGE (numerical result out of range): integer out of range (offset 32, policy: u32, range 1..8)"},
		{name: "err_ethtool_noheader", errno: unix.EINVAL, flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: genlHdrLen,
			missType: unix.ETHTOOL_A_LINKINFO_HEADER,
			text:     "EINVAL (invalid argument) (missing attribute type 1)"},
		{name: "err_miss_type", errno: unix.EINVAL, flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: genlHdrLen,
			missType: 1, // NETDEV_A_DEV_IFINDEX
			text:     "EINVAL (invalid argument) (missing attribute type 1)"},
		{name: "err_miss_nest", errno: unix.EINVAL, flags: unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, fixed: genlHdrLen,
			missType: 1, // ETHTOOL_A_TS_HWTSTAMP_PROVIDER_INDEX
			missNest: packet.AttrPath{{Type: unix.ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER, Offset: 32}},
			text:     "EINVAL (invalid argument) (missing attribute type 1, in the nest at offset 32)"},
		{name: "dump_err_strict", errno: unix.EINVAL, msg: "Invalid values in header for FIB dump request", flags: unix.NLM_F_MULTI | unix.NLM_F_ACK_TLVS, fixed: rtmsgLen,
			text: "EINVAL (invalid argument): Invalid values in header for FIB dump request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, err := packet.ParseMessages(fixture(t, tt.name))
			if err != nil || len(msgs) != 1 {
				t.Fatalf("%d messages, %v; want 1", len(msgs), err)
			}
			m := msgs[0]
			req := fixture(t, tt.name+".req")
			reqHdr, _ := packet.ParseHeader(req)
			if m.Header.Flags != tt.flags {
				t.Errorf("flags %v, want %v", packet.FlagNames(packet.Flags(m.Header.Flags), m.Header.Type, false),
					packet.FlagNames(packet.Flags(tt.flags), m.Header.Type, false))
			}
			e, err := packet.ParseError(m)
			if err != nil {
				t.Fatal(err)
			}
			if e.Errno != tt.errno || e.Message != tt.msg {
				t.Errorf("errno %d, message %q; want %d, %q", e.Errno, e.Message, tt.errno, tt.msg)
			}
			// An NLMSG_ERROR echoes the request's header; DONE keeps its own.
			wantHdr := reqHdr
			if m.Header.Type == unix.NLMSG_DONE {
				wantHdr = m.Header
			}
			if e.Header != wantHdr {
				t.Errorf("header %+v, want %+v", e.Header, wantHdr)
			}
			if m.Header.Flags&unix.NLM_F_CAPPED == 0 && m.Header.Type == unix.NLMSG_ERROR {
				// Uncapped: the whole request follows the errno, padded.
				echo := m.Data[4 : 4+packet.Align(len(req))]
				if !bytes.Equal(echo[:len(req)], req) || !zero(echo[len(req):]) {
					t.Errorf("echoed request\n% x\nwant\n% x", echo, req)
				}
			}
			wantOffset := len(tt.path) > 0
			if e.HasOffset != wantOffset || wantOffset && int(e.Offset) != tt.path[len(tt.path)-1].Offset {
				t.Errorf("offset %d (has %v), want the last of %v", e.Offset, e.HasOffset, tt.path)
			}
			if !reflect.DeepEqual(e.Policy, tt.policy) {
				t.Errorf("policy %+v, want %+v", e.Policy, tt.policy)
			}
			if e.MissType != tt.missType {
				t.Errorf("missing type %d, want %d", e.MissType, tt.missType)
			}
			wantNest := 0
			if len(tt.missNest) > 0 {
				wantNest = tt.missNest[0].Offset
			}
			if int(e.MissNest) != wantNest {
				t.Errorf("missing nest %d, want %d", e.MissNest, wantNest)
			}
			if e.Cookie != nil || e.Request != nil || e.Op != "" || e.AttrName != "" {
				t.Errorf("fields the kernel did not send are set: %+v", e)
			}
			if got := e.Error(); got != tt.text {
				t.Errorf("Error() = %q\nwant       %q", got, tt.text)
			}

			// Without the request nothing can be located; with it, the
			// kernel's offsets lead to the attributes that were sent.
			if e.Locate(tt.fixed) != nil || e.LocateMissNest(tt.fixed) != nil {
				t.Error("located an attribute without the request")
			}
			e.Request = req
			if got := e.Locate(tt.fixed); !reflect.DeepEqual(got, tt.path) {
				t.Errorf("Locate = %v, want %v", got, tt.path)
			}
			if got := e.LocateMissNest(tt.fixed); !reflect.DeepEqual(got, tt.missNest) {
				t.Errorf("LocateMissNest = %v, want %v", got, tt.missNest)
			}

			if tt.errno != 0 {
				if !errors.Is(e, tt.errno) || e.Unwrap() != tt.errno {
					t.Errorf("errors.Is(err, %v) is false", tt.errno)
				}
				var errno unix.Errno
				if !errors.As(e, &errno) || errno != tt.errno {
					t.Errorf("errors.As gives errno %v, want %v", errno, tt.errno)
				}
			} else if e.Unwrap() != nil {
				t.Errorf("an ACK unwraps to %v", e.Unwrap())
			}
		})
	}
}

// TestParseErrorCopies checks that a decoded Error shares no memory with the
// message: the receive buffer is reused for the next datagram.
func TestParseErrorCopies(t *testing.T) {
	tlvs := slices.Concat(attr(unix.NLMSGERR_ATTR_MSG, []byte("text\x00")...), attr(unix.NLMSGERR_ATTR_COOKIE, 1, 2, 3, 4))
	m := errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -int32(unix.EINVAL), header(20, 1, 0, 0, 0), tlvs)
	e, err := packet.ParseError(m)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Data {
		m.Data[i] = 0xaa
	}
	if e.Message != "text" || !bytes.Equal(e.Cookie, []byte{1, 2, 3, 4}) {
		t.Errorf("message %q, cookie % x changed with the buffer", e.Message, e.Cookie)
	}
}

// errorMsg builds an NLMSG_ERROR by hand: errno code, echoed request, TLVs.
func errorMsg(flags uint16, code int32, echoed []byte, tlvs []byte) packet.Message {
	b := binary.NativeEndian.AppendUint32(nil, uint32(code))
	b = append(b, echoed...)
	b = append(b, tlvs...)
	return packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_ERROR, Flags: flags}, Data: b}
}

func TestParseErrorHandBuilt(t *testing.T) {
	req := slices.Concat(header(24, unix.RTM_NEWLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, 9, 0), attr(1, 1, 2, 3, 4))
	reqHdr, _ := packet.ParseHeader(req)
	hdrOnly := req[:packet.HeaderLen]
	odd := slices.Concat(header(21, unix.RTM_NEWLINK, 0, 9, 0), []byte{5, 0, 1, 0, 7}) // unpadded, 21 bytes
	oddHdr, _ := packet.ParseHeader(odd)
	policy := slices.Concat(attr(unix.NL_POLICY_TYPE_ATTR_TYPE, u32(unix.NL_ATTR_TYPE_U8)...),
		attr(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, u64(1)...), attr(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, u64(5)...))
	all := slices.Concat(
		attr(unix.NLMSGERR_ATTR_MSG, []byte("bad\x00")...),
		attr(unix.NLMSGERR_ATTR_OFFS, u32(20)...),
		attr(unix.NLMSGERR_ATTR_COOKIE, 1, 2, 3),
		attr(packet.NLMSGERR_ATTR_POLICY|unix.NLA_F_NESTED, policy...),
		attr(packet.NLMSGERR_ATTR_MISS_TYPE, u32(7)...),
		attr(packet.NLMSGERR_ATTR_MISS_NEST, u32(20)...),
		attr(99, 0xde, 0xad), // unknown: ignored
	)
	full := &packet.Error{Errno: unix.EINVAL, Header: reqHdr, Message: "bad", Offset: 20, HasOffset: true, Cookie: []byte{1, 2, 3},
		Policy: &packet.Policy{Type: unix.NL_ATTR_TYPE_U8, MinUValue: 1, MaxUValue: 5,
			Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U)},
		MissType: 7, MissNest: 20}
	msgOnly := func(s string) []byte { return attr(unix.NLMSGERR_ATTR_MSG, append([]byte(s), 0)...) }
	tests := []struct {
		name string
		m    packet.Message
		want *packet.Error
	}{
		{"capped, no TLVs", errorMsg(unix.NLM_F_CAPPED, -int32(unix.EPERM), hdrOnly, nil),
			&packet.Error{Errno: unix.EPERM, Header: reqHdr}},
		{"uncapped, no TLVs", errorMsg(0, -int32(unix.EPERM), req, nil),
			&packet.Error{Errno: unix.EPERM, Header: reqHdr}},
		{"capped, TLVs flag but none", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -int32(unix.EPERM), hdrOnly, nil),
			&packet.Error{Errno: unix.EPERM, Header: reqHdr}},
		{"capped, every TLV", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -int32(unix.EINVAL), hdrOnly, all), full},
		{"uncapped, every TLV", errorMsg(unix.NLM_F_ACK_TLVS, -int32(unix.EINVAL), req, all), full},
		{"uncapped, unaligned request", errorMsg(unix.NLM_F_ACK_TLVS, -int32(unix.EINVAL), append(slices.Clone(odd), 0, 0, 0), msgOnly("odd")),
			&packet.Error{Errno: unix.EINVAL, Header: oddHdr, Message: "odd"}},
		{"TLVs without the flag are ignored", errorMsg(unix.NLM_F_CAPPED, -int32(unix.EINVAL), hdrOnly, all),
			&packet.Error{Errno: unix.EINVAL, Header: reqHdr}},
		{"warning", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, 0, hdrOnly, msgOnly("careful")),
			&packet.Error{Header: reqHdr, Message: "careful"}},
		{"message without NUL", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -1, hdrOnly, attr(unix.NLMSGERR_ATTR_MSG, 'h', 'i')),
			&packet.Error{Errno: unix.EPERM, Header: reqHdr, Message: "hi"}},
		{"positive code", errorMsg(unix.NLM_F_CAPPED, int32(unix.EEXIST), hdrOnly, nil),
			&packet.Error{Errno: unix.EEXIST, Header: reqHdr}},
		{"last duplicate wins", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -1, hdrOnly, slices.Concat(msgOnly("one"), msgOnly("two"))),
			&packet.Error{Errno: unix.EPERM, Header: reqHdr, Message: "two"}},
		{"empty policy", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -1, hdrOnly, attr(packet.NLMSGERR_ATTR_POLICY)),
			&packet.Error{Errno: unix.EPERM, Header: reqHdr, Policy: &packet.Policy{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := packet.ParseError(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e, tt.want) {
				t.Errorf("got  %+v\nwant %+v", e, tt.want)
			}
		})
	}
}

func TestParseErrorMalformed(t *testing.T) {
	req := slices.Concat(header(24, unix.RTM_NEWLINK, 0, 9, 0), attr(1, 1, 2, 3, 4))
	hdrOnly := req[:packet.HeaderLen]
	capTLV := uint16(unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS)
	tests := []struct {
		name    string
		m       packet.Message
		partial bool   // an Error comes back with the error
		is      error  // errors.Is target, or nil
		text    string // in the error's text
	}{
		{"empty", packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_ERROR}}, false, packet.ErrTruncated, "bad error message length 0"},
		{"errno only", errorMsg(unix.NLM_F_CAPPED, -1, nil, nil), false, packet.ErrTruncated, "bad error message length 4"},
		{"short header", errorMsg(unix.NLM_F_CAPPED, -1, hdrOnly[:15], nil), false, packet.ErrTruncated, "bad error message length 19"},
		{"echoed length below a header", errorMsg(0, -1, header(8, 1, 0, 0, 0), nil), false, packet.ErrTruncated, "bad echoed request length 8"},
		{"echoed request past the end", errorMsg(unix.NLM_F_ACK_TLVS, -1, hdrOnly, nil), false, packet.ErrTruncated, "bad echoed request length 24 at offset 4 (16 bytes left)"},
		{"TLV past the end", errorMsg(capTLV, -1, hdrOnly, []byte{9, 0, 1, 0}), true, packet.ErrTruncated, "bad attribute length 9"},
		{"TLV trailing bytes", errorMsg(capTLV, -1, hdrOnly, slices.Concat(attr(unix.NLMSGERR_ATTR_MSG, 'x', 0), []byte{1, 2})), true, packet.ErrTruncated, "bad attribute length 2"},
		{"offset of 1 byte", errorMsg(capTLV, -1, hdrOnly, attr(unix.NLMSGERR_ATTR_OFFS, 1)), true, nil, "extended ACK attribute 2: netlink: attribute 2: 1 bytes cannot be read as u32"},
		{"miss type of 2 bytes", errorMsg(capTLV, -1, hdrOnly, attr(packet.NLMSGERR_ATTR_MISS_TYPE, 1, 0)), true, nil, "extended ACK attribute 5"},
		{"miss nest of 8 bytes", errorMsg(capTLV, -1, hdrOnly, attr(packet.NLMSGERR_ATTR_MISS_NEST, u64(1)...)), true, nil, "extended ACK attribute 6"},
		{"policy with a short type", errorMsg(capTLV, -1, hdrOnly, attr(packet.NLMSGERR_ATTR_POLICY, attr(unix.NL_POLICY_TYPE_ATTR_TYPE, 1)...)), true, nil, "policy attribute 1"},
		{"policy with a bad length", errorMsg(capTLV, -1, hdrOnly, attr(packet.NLMSGERR_ATTR_POLICY, 200, 0, 1, 0)), true, packet.ErrTruncated, "extended ACK attribute 4"},
		{"DONE with bad TLVs", packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_DONE, Flags: unix.NLM_F_ACK_TLVS}, Data: slices.Concat(negErrno(unix.EPERM), []byte{5, 0})}, true, packet.ErrTruncated, "bad attribute length 2"},
		{"not an error", packet.Message{Header: unix.NlMsghdr{Type: unix.RTM_NEWLINK}}, false, nil, "message type 16 is not NLMSG_ERROR or NLMSG_DONE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := packet.ParseError(tt.m)
			if err == nil {
				t.Fatalf("no error; got %+v", e)
			}
			if (e != nil) != tt.partial {
				t.Errorf("Error %+v returned with %v; want one: %v", e, err, tt.partial)
			}
			if e != nil && e.Errno != unix.EPERM {
				t.Errorf("the partial Error has errno %d, want EPERM", e.Errno)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) is false", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not contain %q", err, tt.text)
			}
		})
	}
	// A size error inside the TLVs stays reachable with errors.As.
	_, err := packet.ParseError(errorMsg(capTLV, -1, hdrOnly, attr(unix.NLMSGERR_ATTR_OFFS, 1)))
	var se *packet.SizeError
	if !errors.As(err, &se) || se.Type != unix.NLMSGERR_ATTR_OFFS || se.Got != 1 {
		t.Errorf("errors.As(%v, *SizeError) = %+v", err, se)
	}
}

// TestParseDone covers NLMSG_DONE with no payload, with a bare errno and
// with an extended ACK.
func TestParseDone(t *testing.T) {
	done := func(flags uint16, data []byte) packet.Message {
		return packet.Message{Header: unix.NlMsghdr{Len: uint32(16 + len(data)), Type: unix.NLMSG_DONE, Flags: flags, Seq: 4, Pid: 5}, Data: data}
	}
	tests := []struct {
		name  string
		m     packet.Message
		errno unix.Errno
		msg   string
	}{
		{"0 bytes", done(unix.NLM_F_MULTI, nil), 0, ""},
		{"2 bytes", done(unix.NLM_F_MULTI, []byte{0xff, 0xff}), 0, ""},
		{"4 zero bytes", done(unix.NLM_F_MULTI, u32(0)), 0, ""},
		{"errno", done(unix.NLM_F_MULTI, negErrno(unix.EBUSY)), unix.EBUSY, ""},
		{"bytes after the errno, no TLV flag", done(unix.NLM_F_MULTI, slices.Concat(negErrno(unix.EBUSY), []byte{1, 2, 3})), unix.EBUSY, ""},
		{"extended ACK", done(unix.NLM_F_MULTI|unix.NLM_F_ACK_TLVS, slices.Concat(negErrno(unix.EINVAL), attr(unix.NLMSGERR_ATTR_MSG, []byte("no\x00")...))), unix.EINVAL, "no"},
		{"warning", done(unix.NLM_F_MULTI|unix.NLM_F_ACK_TLVS, slices.Concat(u32(0), attr(unix.NLMSGERR_ATTR_MSG, []byte("hm\x00")...))), 0, "hm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := packet.ParseError(tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if e.Errno != tt.errno || e.Message != tt.msg || e.Header != tt.m.Header {
				t.Errorf("got %+v", e)
			}
		})
	}
}

func negErrno(e unix.Errno) []byte { return u32(uint32(-int32(e))) }

func TestErrorString(t *testing.T) {
	u8Range := &packet.Policy{Type: unix.NL_ATTR_TYPE_U8, MinUValue: 1, MaxUValue: 5,
		Has: policyHas(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U)}
	tests := []struct {
		e    packet.Error
		want string
	}{
		{packet.Error{}, "warning"},
		{packet.Error{Message: "careful"}, "warning: careful"},
		{packet.Error{Op: "RTM_NEWLINK", Message: "careful"}, "RTM_NEWLINK: warning: careful"},
		{packet.Error{Errno: unix.EEXIST}, "EEXIST (file exists)"},
		{packet.Error{Errno: unix.EOPNOTSUPP}, "EOPNOTSUPP (operation not supported)"},
		{packet.Error{Errno: 4000}, "errno 4000 (errno 4000)"},
		{packet.Error{Errno: unix.EINVAL, HasOffset: true, Offset: 0}, "EINVAL (invalid argument) (offset 0)"},
		{packet.Error{Errno: unix.EINVAL, Offset: 32}, "EINVAL (invalid argument)"}, // Offset without HasOffset
		{packet.Error{Errno: unix.EINVAL, Message: "Invalid prefix", Op: "RTM_NEWROUTE", HasOffset: true, Offset: 32, AttrName: "dst", Policy: u8Range},
			"RTM_NEWROUTE: EINVAL (invalid argument): Invalid prefix (attribute dst, policy: u8, range 1..5)"},
		{packet.Error{Errno: unix.EINVAL, MissType: 3, MissNest: 20},
			"EINVAL (invalid argument) (missing attribute type 3, in the nest at offset 20)"},
		{packet.Error{Errno: unix.EINVAL, MissType: 3, AttrName: "IFLA_IFNAME"},
			"EINVAL (invalid argument) (missing attribute IFLA_IFNAME)"},
		{packet.Error{Errno: unix.EINVAL, MissType: 3, AttrName: "X", HasOffset: true, Offset: 8},
			"EINVAL (invalid argument) (offset 8, missing attribute X)"},
		{packet.Error{Errno: unix.ENOENT, Cookie: []byte{0xca, 0xfe}}, "ENOENT (no such file or directory) (cookie cafe)"},
		{packet.Error{Errno: unix.ERANGE, Message: "m", HasOffset: true, Offset: 4, MissType: 1, MissNest: 8, Policy: &packet.Policy{Type: unix.NL_ATTR_TYPE_FLAG}, Cookie: []byte{1}},
			"ERANGE (numerical result out of range): m (offset 4, missing attribute type 1, in the nest at offset 8, policy: flag, cookie 01)"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q\nwant       %q", got, tt.want)
		}
	}
}

func TestErrnoName(t *testing.T) {
	tests := []struct {
		e    unix.Errno
		want string
	}{
		{unix.EPERM, "EPERM"},
		{unix.EEXIST, "EEXIST"},
		{unix.EOPNOTSUPP, "EOPNOTSUPP"},
		{unix.ENOTSUP, "EOPNOTSUPP"}, // the same number
		{unix.EMSGSIZE, "EMSGSIZE"},
		{0, "errno 0"},
		{4000, "errno 4000"},
	}
	for _, tt := range tests {
		if got := packet.ErrnoName(tt.e); got != tt.want {
			t.Errorf("ErrnoName(%d) = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestErrorIs(t *testing.T) {
	var err error = &packet.Error{Errno: unix.EEXIST, Message: "exists"}
	if !errors.Is(err, unix.EEXIST) || errors.Is(err, unix.ENOENT) {
		t.Error("errors.Is does not follow the errno")
	}
	var pe *packet.Error
	if !errors.As(err, &pe) || pe.Message != "exists" {
		t.Error("errors.As(*Error) fails")
	}
	var ack error = &packet.Error{}
	if errors.Unwrap(ack) != nil {
		t.Error("an ACK unwraps to an errno")
	}
}

func TestParsePolicy(t *testing.T) {
	a32 := func(typ uint16, v uint32) []byte { return attr(typ, u32(v)...) }
	a64 := func(typ uint16, v uint64) []byte { return attr(typ, u64(v)...) }
	tests := []struct {
		name string
		b    []byte
		want packet.Policy
		text string
	}{
		{"empty", nil, packet.Policy{}, "invalid"},
		{"type only", a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_U8),
			packet.Policy{Type: unix.NL_ATTR_TYPE_U8, Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE)}, "u8"},
		{"signed range", slices.Concat(a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_S64),
			a64(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, 1<<63), a64(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S, 1<<63-1)),
			packet.Policy{Type: unix.NL_ATTR_TYPE_S64, MinValue: -1 << 63, MaxValue: 1<<63 - 1,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S)},
			"s64, range -9223372036854775808..9223372036854775807"},
		{"unsigned range", slices.Concat(a64(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0), a64(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 1<<64-1),
			a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_U64)),
			packet.Policy{Type: unix.NL_ATTR_TYPE_U64, MaxUValue: 1<<64 - 1,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U)},
			"u64, range 0..18446744073709551615"},
		{"lengths", slices.Concat(a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_NUL_STRING),
			a32(unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH, 1), a32(unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH, 15)),
			packet.Policy{Type: unix.NL_ATTR_TYPE_NUL_STRING, MinLength: 1, MaxLength: 15,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH, unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH)},
			"nul-string, min length 1, max length 15"},
		{"max length only", a32(unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH, 16),
			packet.Policy{MaxLength: 16, Has: policyHas(unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH)}, "invalid, max length 16"},
		{"nested", slices.Concat(a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_NESTED),
			a32(unix.NL_POLICY_TYPE_ATTR_POLICY_IDX, 3), a32(unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, 9)),
			packet.Policy{Type: unix.NL_ATTR_TYPE_NESTED, PolicyIdx: 3, MaxType: 9,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_POLICY_IDX, unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE)},
			"nested, policy 3, max type 9"},
		{"bitfield32", slices.Concat(a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_BITFIELD32), a32(unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK, 0x1f)),
			packet.Policy{Type: unix.NL_ATTR_TYPE_BITFIELD32, Bitfield32Mask: 0x1f,
				Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK)},
			"bitfield32, mask 0x1f"},
		{"mask", slices.Concat(a32(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_ATTR_TYPE_U32), a64(unix.NL_POLICY_TYPE_ATTR_MASK, 0x7)),
			packet.Policy{Type: unix.NL_ATTR_TYPE_U32, Mask: 7, Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE, unix.NL_POLICY_TYPE_ATTR_MASK)},
			"u32, mask 0x7"},
		{"unknown attributes ignored", slices.Concat(a32(unix.NL_POLICY_TYPE_ATTR_TYPE, 17), a32(0, 1), a32(40, 1), a32(0x3fff, 1)),
			packet.Policy{Type: 17, Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE)}, "uint"},
		{"unknown type", a32(unix.NL_POLICY_TYPE_ATTR_TYPE, 99),
			packet.Policy{Type: 99, Has: policyHas(unix.NL_POLICY_TYPE_ATTR_TYPE)}, "type 99"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := packet.ParsePolicy(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			if *p != tt.want {
				t.Errorf("got  %+v\nwant %+v", *p, tt.want)
			}
			if got := p.String(); got != tt.text {
				t.Errorf("String() = %q, want %q", got, tt.text)
			}
		})
	}

	// Every field with the wrong size is an error naming the attribute.
	for typ := uint16(unix.NL_POLICY_TYPE_ATTR_TYPE); typ <= unix.NL_POLICY_TYPE_ATTR_MASK; typ++ {
		if typ == unix.NL_POLICY_TYPE_ATTR_PAD {
			continue
		}
		if _, err := packet.ParsePolicy(attr(typ, 1, 2)); err == nil || !strings.Contains(err.Error(), "policy attribute") {
			t.Errorf("policy attribute %d of 2 bytes: err = %v", typ, err)
		}
	}
	if _, err := packet.ParsePolicy([]byte{8, 0, 1}); !errors.Is(err, packet.ErrTruncated) {
		t.Errorf("truncated policy: err = %v", err)
	}
}

func TestPolicyTypeName(t *testing.T) {
	want := []string{"invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
		"binary", "string", "nul-string", "nested", "nested-array", "bitfield32", "sint", "uint", "type 18"}
	for i, w := range want {
		if got := packet.PolicyTypeName(uint32(i)); got != w {
			t.Errorf("PolicyTypeName(%d) = %q, want %q", i, got, w)
		}
	}
	if got := packet.PolicyTypeName(1 << 31); got != "type 2147483648" {
		t.Errorf("PolicyTypeName(1<<31) = %q", got)
	}
}

// TestLocateAttr maps offsets into a hand-built route request, with a
// flagged nest, an unflagged one and a nest inside a nest, to attribute
// paths.
func TestLocateAttr(t *testing.T) {
	var e packet.Encoder
	e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST)
	e.Grow(rtmsgLen)                          // 16..28
	e.Attr(unix.RTA_DST, []byte{10, 1, 0, 0}) // 28
	n := e.BeginNested(unix.RTA_METRICS)      // 36
	e.Uint32(unix.RTAX_MTU, 1400)             // 40
	e.String(unix.RTAX_CC_ALGO, "cubic")      // 48, 10 bytes + 2 padding
	e.EndNested(n)
	raw := e.BeginNestedRaw(unix.RTA_MULTIPATH) // 60
	in := e.BeginNestedRaw(1)                   // 64
	e.Uint8(2, 7)                               // 68, 5 bytes + 3 padding
	e.EndNested(in)
	e.EndNested(raw)
	e.Uint32(unix.RTA_OIF, 3) // 76
	e.EndMessage()            // 84
	msg := e.Bytes()
	if len(msg) != 84 {
		t.Fatalf("request of %d bytes, the offsets below assume 84", len(msg))
	}
	dst := packet.AttrRef{Type: unix.RTA_DST, Offset: 28}
	metrics := packet.AttrRef{Type: unix.RTA_METRICS, Offset: 36}
	mtu := packet.AttrRef{Type: unix.RTAX_MTU, Offset: 40}
	cc := packet.AttrRef{Type: unix.RTAX_CC_ALGO, Offset: 48}
	mp := packet.AttrRef{Type: unix.RTA_MULTIPATH, Offset: 60}
	hop := packet.AttrRef{Type: 1, Offset: 64}
	u8 := packet.AttrRef{Type: 2, Offset: 68}
	oif := packet.AttrRef{Type: unix.RTA_OIF, Offset: 76}
	tests := []struct {
		off  int
		want packet.AttrPath
	}{
		{-1, nil},
		{0, nil},  // the nlmsghdr
		{16, nil}, // the rtmsg
		{27, nil},
		{28, packet.AttrPath{dst}},
		{31, packet.AttrPath{dst}},
		{35, packet.AttrPath{dst}},
		{36, packet.AttrPath{metrics}},
		{39, packet.AttrPath{metrics}}, // the nest's own header
		{40, packet.AttrPath{metrics, mtu}},
		{47, packet.AttrPath{metrics, mtu}},
		{48, packet.AttrPath{metrics, cc}},
		{58, packet.AttrPath{metrics, cc}}, // padding of the string
		{60, packet.AttrPath{mp}},
		{64, packet.AttrPath{mp, hop}},
		{68, packet.AttrPath{mp, hop, u8}},
		{72, packet.AttrPath{mp, hop, u8}}, // padding of the u8
		{76, packet.AttrPath{oif}},
		{83, packet.AttrPath{oif}},
		{84, nil},
		{1000, nil},
	}
	for _, tt := range tests {
		if got := packet.LocateAttr(msg, rtmsgLen, tt.off); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("LocateAttr(%d) = %v, want %v", tt.off, got, tt.want)
		}
	}

	// Bytes after the message, as in a buffer of several, are not searched.
	withTail := slices.Concat(msg, attr(9, 1, 2, 3, 4))
	if got := packet.LocateAttr(withTail, rtmsgLen, 84); got != nil {
		t.Errorf("offset past nlmsg_len located %v", got)
	}
	if got := packet.LocateAttr(withTail, rtmsgLen, 76); !reflect.DeepEqual(got, packet.AttrPath{oif}) {
		t.Errorf("with trailing bytes: %v", got)
	}
	// A family header longer than the message leaves nothing to locate.
	if got := packet.LocateAttr(msg, 100, 90); got != nil {
		t.Errorf("fixed header past the end located %v", got)
	}
	if got := packet.LocateAttr(msg[:10], rtmsgLen, 5); got != nil {
		t.Errorf("a truncated header located %v", got)
	}
	// A corrupt attribute stops the search where it starts.
	bad := slices.Clone(msg)
	binary.NativeEndian.PutUint16(bad[60:], 200)
	if got := packet.LocateAttr(bad, rtmsgLen, 64); got != nil {
		t.Errorf("offset behind a corrupt attribute located %v", got)
	}
	if got := packet.LocateAttr(bad, rtmsgLen, 40); !reflect.DeepEqual(got, packet.AttrPath{metrics, mtu}) {
		t.Errorf("offset before a corrupt attribute: %v", got)
	}

	if got := (packet.AttrPath{metrics, cc}).String(); got != "8.16" {
		t.Errorf("AttrPath.String() = %q, want 8.16", got)
	}
	if got := packet.AttrPath(nil).String(); got != "" {
		t.Errorf("empty AttrPath.String() = %q", got)
	}
}
