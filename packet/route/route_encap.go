package route

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// Lightweight-tunnel attribute types (include/uapi/linux/{mpls_iptunnel,
// seg6_iptunnel,seg6_local,ioam6_iptunnel,rpl_iptunnel,ila}.h).
const (
	mplsIptunnelDst = 1
	mplsIptunnelTTL = 2

	seg6IptunnelSRH = 1

	seg6LocalAction   = 1
	seg6LocalSRH      = 2
	seg6LocalTable    = 3
	seg6LocalNH4      = 4
	seg6LocalNH6      = 5
	seg6LocalIIF      = 6
	seg6LocalOIF      = 7
	seg6LocalBPF      = 8
	seg6LocalVRFTable = 9
	seg6LocalCounters = 10
	seg6LocalFlavors  = 11

	ioam6IptunnelMode  = 1
	ioam6IptunnelDst   = 2
	ioam6IptunnelTrace = 3
	ioam6IptunnelFreqK = 4
	ioam6IptunnelFreqN = 5
	ioam6IptunnelSrc   = 6

	rplIptunnelSRH = 1

	ilaLocator   = 1
	ilaCsumMode  = 2
	ilaIdentType = 3
	ilaHookType  = 4
)

var mplsEncapSet = schema.NewAttrSet("encap_mpls",
	schema.Attr{Type: mplsIptunnelDst, Name: "dst", Kind: schema.Custom, Codec: mplsLabels{}, Doc: "label stack, e.g. \"100/200\""},
	a(mplsIptunnelTTL, "ttl", schema.U8),
)

// mplsLabels reads and writes a label stack: 4-byte big-endian label
// stack entries, shown as ip shows them, "100/200".
type mplsLabels struct{}

func (mplsLabels) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b)%4 != 0 {
		return nil, &packet.SizeError{As: "mpls labels", Want: 4, Got: len(b)}
	}
	s := ""
	for i := 0; i < len(b); i += 4 {
		if i > 0 {
			s += "/"
		}
		s += fmt.Sprint(binary.BigEndian.Uint32(b[i:]) >> 12)
	}
	return s, nil
}

func (mplsLabels) Encode(e *packet.Encoder, typ uint16, val any) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("want labels as text, e.g. \"100/200\", got %T", val)
	}
	var b []byte
	var label uint32
	digits := 0
	flush := func(last bool) error {
		if digits == 0 || label >= 1<<20 {
			return fmt.Errorf("%q is not a label stack", s)
		}
		entry := label << 12
		if last {
			entry |= 1 << 8 // bottom of stack
		}
		b = binary.BigEndian.AppendUint32(b, entry)
		label, digits = 0, 0
		return nil
	}
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			label = label*10 + uint32(c-'0')
			digits++
		case c == '/':
			if err := flush(false); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%q is not a label stack", s)
		}
	}
	if err := flush(true); err != nil {
		return err
	}
	e.Attr(typ, b)
	return nil
}

// TunnelFlags names the TUNNEL_* bits of LWTUNNEL_IP_FLAGS, a be16
// (include/uapi/linux/if_tunnel.h); ip prints each as a boolean.
var TunnelFlags = schema.NewEnum("tunnel_flags", map[uint64]string{1: "csum", 4: "key", 8: "seq"})

var ipEncapSet = schema.NewAttrSet("encap_ip",
	schema.Attr{Type: 1 /* LWTUNNEL_IP_ID */, Name: "id", Kind: schema.Custom, Codec: be64{}, Doc: "tunnel key id"},
	a(2 /* LWTUNNEL_IP_DST */, "dst", schema.Addr),
	a(3 /* LWTUNNEL_IP_SRC */, "src", schema.Addr),
	a(4 /* LWTUNNEL_IP_TTL */, "ttl", schema.U8),
	a(5 /* LWTUNNEL_IP_TOS */, "tos", schema.U8),
	schema.Attr{Type: 6 /* LWTUNNEL_IP_FLAGS */, Name: "flags", Kind: schema.BE16, Flags: TunnelFlags},
	schema.Attr{Type: 7 /* LWTUNNEL_IP_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(8 /* LWTUNNEL_IP_OPTS */, "opts", schema.Binary),
)

var ip6EncapSet = schema.NewAttrSet("encap_ip6",
	schema.Attr{Type: 1 /* LWTUNNEL_IP6_ID */, Name: "id", Kind: schema.Custom, Codec: be64{}, Doc: "tunnel key id"},
	a(2 /* LWTUNNEL_IP6_DST */, "dst", schema.Addr),
	a(3 /* LWTUNNEL_IP6_SRC */, "src", schema.Addr),
	a(4 /* LWTUNNEL_IP6_HOPLIMIT */, "hoplimit", schema.U8),
	a(5 /* LWTUNNEL_IP6_TC */, "tc", schema.U8),
	schema.Attr{Type: 6 /* LWTUNNEL_IP6_FLAGS */, Name: "flags", Kind: schema.BE16, Flags: TunnelFlags},
	schema.Attr{Type: 7 /* LWTUNNEL_IP6_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(8 /* LWTUNNEL_IP6_OPTS */, "opts", schema.Binary),
)

// Seg6Mode names SEG6_IPTUN_MODE_* as ip prints them.
var Seg6Mode = schema.NewEnum("seg6_mode", map[uint64]string{0: "inline", 1: "encap", 2: "l2encap", 3: "encap.red", 4: "l2encap.red"})

// seg6SRH is SEG6_IPTUNNEL_SRH: struct seg6_iptunnel_encap, a mode and an
// IPv6 segment routing header. It reads as mode and segs, the segments in
// the order of travel, as ip prints them.
type seg6SRH struct{}

var seg6SRHSet = schema.NewAttrSet("seg6_srh",
	schema.Attr{Type: 1, Name: "mode", Kind: schema.U32, Enum: Seg6Mode},
	schema.Attr{Type: 2, Name: "segs", Kind: schema.Array, Elem: &schema.Attr{Name: "seg", Kind: schema.Addr}},
	schema.Attr{Type: 3, Name: "tag", Kind: schema.U16},
)

func (seg6SRH) Decode(b []byte, _ *schema.View) (any, error) {
	// int mode; then ipv6_sr_hdr: nexthdr, hdrlen, type, segments_left,
	// first_segment, flags, tag (be16), segments[].
	if len(b) < 4+8 {
		return nil, &packet.SizeError{As: "seg6 encap", Want: 12, Got: len(b)}
	}
	mode := binary.NativeEndian.Uint32(b)
	srh := b[4:]
	first := int(srh[4])
	segs := srh[8:]
	if len(segs) < 16*(first+1) {
		return nil, &packet.SizeError{As: "seg6 segments", Want: 16 * (first + 1), Got: len(segs)}
	}
	var e packet.Encoder
	e.Uint32(1, mode)
	n := e.BeginNested(2)
	for i := first; i >= 0; i-- {
		ip, _ := netip.AddrFromSlice(segs[16*i : 16*i+16])
		e.Addr(uint16(first-i+1), ip)
	}
	e.EndNested(n)
	e.Uint16(3, binary.BigEndian.Uint16(srh[6:8]))
	return schema.NestView(seg6SRHSet, e.Bytes()), nil
}

func (seg6SRH) Encode(e *packet.Encoder, typ uint16, val any) error {
	f, ok := val.(schema.Fields)
	if !ok {
		return fmt.Errorf("want mode and segs, got %T", val)
	}
	mode := uint64(1)
	if m, ok := f["mode"]; ok {
		s, _ := m.(string)
		v, known := Seg6Mode.Value(s)
		if !known {
			return fmt.Errorf("mode: unknown seg6 mode %v", m)
		}
		mode = v
	}
	list, _ := f["segs"].([]any)
	if len(list) == 0 || len(list) > 128 {
		return fmt.Errorf("segs: want 1 to 128 IPv6 addresses")
	}
	b := binary.NativeEndian.AppendUint32(nil, uint32(mode))
	n := len(list)
	b = append(b, 0, byte(2*n), 4, byte(n-1), byte(n-1), 0, 0, 0)
	for i := n - 1; i >= 0; i-- {
		ip, ok := list[i].(netip.Addr)
		var err error
		if !ok {
			s, _ := list[i].(string)
			ip, err = netip.ParseAddr(s)
		}
		if err != nil || !ip.Is6() || ip.Is4In6() {
			return fmt.Errorf("segs[%d]: %v is not an IPv6 address", i, list[i])
		}
		a := ip.As16()
		b = append(b, a[:]...)
	}
	e.Attr(typ, b)
	return nil
}

var seg6EncapSet = schema.NewAttrSet("encap_seg6",
	schema.Attr{Type: seg6IptunnelSRH, Name: "srh", Kind: schema.Custom, Codec: seg6SRH{}, Doc: "mode and segs"},
)

// Seg6LocalAction names SEG6_LOCAL_ACTION_* as ip prints them.
var Seg6LocalAction = schema.NewEnum("seg6local_action", map[uint64]string{
	1: "End", 2: "End.X", 3: "End.T", 4: "End.DX2", 5: "End.DX6", 6: "End.DX4", 7: "End.DT6",
	8: "End.DT4", 9: "End.B6", 10: "End.B6.Encaps", 11: "End.BM", 12: "End.S", 13: "End.AS",
	14: "End.AM", 15: "End.BPF", 16: "End.DT46",
})

var bpfProgSet = schema.NewAttrSet("bpf_prog",
	a(1 /* LWT_BPF_PROG_FD */, "fd", schema.U32),
	a(2 /* LWT_BPF_PROG_NAME */, "name", schema.String),
)

var seg6LocalEncapSet = schema.NewAttrSet("encap_seg6local",
	ae(seg6LocalAction, "action", schema.U32, Seg6LocalAction),
	a(seg6LocalSRH, "srh", schema.Binary),
	a(seg6LocalTable, "table", schema.U32),
	a(seg6LocalNH4, "nh4", schema.Addr),
	a(seg6LocalNH6, "nh6", schema.Addr),
	a(seg6LocalIIF, "iif", schema.U32),
	a(seg6LocalOIF, "oif", schema.U32),
	schema.Attr{Type: seg6LocalBPF, Name: "bpf", Kind: schema.Nest, Nest: bpfProgSet},
	a(seg6LocalVRFTable, "vrftable", schema.U32),
	schema.Attr{Type: seg6LocalCounters, Name: "counters", Kind: schema.Binary, ReadOnly: true},
	a(seg6LocalFlavors, "flavors", schema.Binary),
)

var bpfEncapSet = schema.NewAttrSet("encap_bpf",
	schema.Attr{Type: 1 /* LWT_BPF_IN */, Name: "in", Kind: schema.Nest, Nest: bpfProgSet},
	schema.Attr{Type: 2 /* LWT_BPF_OUT */, Name: "out", Kind: schema.Nest, Nest: bpfProgSet},
	schema.Attr{Type: 3 /* LWT_BPF_XMIT */, Name: "xmit", Kind: schema.Nest, Nest: bpfProgSet},
	a(4 /* LWT_BPF_XMIT_HEADROOM */, "headroom", schema.U32),
)

// IOAM6Mode names IOAM6_IPTUNNEL_MODE_*.
var IOAM6Mode = schema.NewEnum("ioam6_mode", map[uint64]string{1: "inline", 2: "encap", 3: "auto"})

var ioam6EncapSet = schema.NewAttrSet("encap_ioam6",
	ae(ioam6IptunnelMode, "mode", schema.U8, IOAM6Mode),
	a(ioam6IptunnelDst, "tundst", schema.Addr),
	a(ioam6IptunnelTrace, "trace", schema.Binary),
	a(ioam6IptunnelFreqK, "freq_k", schema.U32),
	a(ioam6IptunnelFreqN, "freq_n", schema.U32),
	a(ioam6IptunnelSrc, "tunsrc", schema.Addr),
)

var rplEncapSet = schema.NewAttrSet("encap_rpl", a(rplIptunnelSRH, "srh", schema.Binary))

var ilaEncapSet = schema.NewAttrSet("encap_ila",
	a(ilaLocator, "locator", schema.U64),
	a(ilaCsumMode, "csum_mode", schema.U8),
	a(ilaIdentType, "ident_type", schema.U8),
	a(ilaHookType, "hook_type", schema.U8),
)

var xfrmEncapSet = schema.NewAttrSet("encap_xfrm",
	a(1, "if_id", schema.U32),
	a(2, "link", schema.U32),
)

// encapSets maps an encap type to the attributes of RTA_ENCAP.
var encapSets = map[string]*schema.AttrSet{
	"mpls": mplsEncapSet, "ip": ipEncapSet, "ip6": ip6EncapSet, "seg6": seg6EncapSet,
	"seg6local": seg6LocalEncapSet, "bpf": bpfEncapSet, "ioam6": ioam6EncapSet, "rpl": rplEncapSet,
	"ila": ilaEncapSet, "xfrm": xfrmEncapSet,
}
