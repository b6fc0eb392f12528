package ethtool

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// BitNames returns the strings of the string set set (ETH_SS_*), in index
// order: the names of a bitset's bits. dev is the device's ifindex, for a
// set of the device's own (its private flags); the global sets ignore it.
type BitNames func(set, dev uint32) ([]string, error)

// perDevice reports whether a string set belongs to a device rather than
// to the kernel.
func perDevice(set uint32) bool { return set == ssPrivFlags || set == ssStats }

// NameBits rewrites the compact bitsets of payload, a message of m
// (genlmsghdr, then attributes), in the verbose form, their bits named by
// names, so that they read as names rather than "bit<N>". The kernel sends
// every notification with compact bitsets, whatever the subscriber asked.
//
// Only top-level bitsets whose string set the schema knows are rewritten;
// every other attribute is copied as it is, and a message with nothing to
// rewrite is returned itself. A bit past the end of its names keeps its
// index only.
func NameBits(m *schema.Message, payload []byte, names BitNames) ([]byte, error) {
	hl := m.HeaderLen()
	if len(payload) < hl {
		return nil, fmt.Errorf("%s: a %d-byte message is shorter than its %d-byte header", m.Name, len(payload), hl)
	}
	var (
		e       *packet.Encoder
		dev     uint32
		devRead bool
	)
	s := packet.NewAttrScanner(payload[hl:])
	for start := 0; s.Next(); start = s.Offset() {
		a := s.Attr()
		codec, named := bitsetOf(m, a.Type)
		var p bitsetParts
		if named {
			var err error
			if p, err = parseBitset(a.Value); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", m.Name, m.Attrs.ByType(a.Type).Name, err)
			}
		}
		if !named || !p.compact() {
			if e != nil {
				e.Attr(rawType(a), a.Value)
			}
			continue
		}
		if e == nil {
			// The first bitset to rewrite: copy what came before it.
			e = packet.NewEncoder(make([]byte, 0, 2*len(payload)))
			e.Append(payload[:hl+start])
		}
		if perDevice(codec.set) && !devRead {
			dev, devRead = deviceOf(m, payload), true
		}
		list, err := names(codec.set, dev)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: names: %w", m.Name, m.Attrs.ByType(a.Type).Name, err)
		}
		writeVerbose(e, a.Type, p, list)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", m.Name, err)
	}
	if e == nil {
		return payload, nil
	}
	return e.Bytes(), nil
}

// bitsetOf returns the bitset codec of attribute typ of m, and whether the
// schema says which string set names its bits.
func bitsetOf(m *schema.Message, typ uint16) (bitsetCodec, bool) {
	a := m.Attrs.ByType(typ)
	if a == nil {
		return bitsetCodec{}, false
	}
	c, ok := a.Codec.(bitsetCodec)
	return c, ok && c.named
}

// rawType is an attribute's type with the flags it came with.
func rawType(a packet.Attr) uint16 {
	t := a.Type
	if a.Nested {
		t |= unix.NLA_F_NESTED
	}
	if a.NetByteOrder {
		t |= unix.NLA_F_NET_BYTEORDER
	}
	return t
}

// deviceOf reads the ifindex in a message's header nest, or 0.
func deviceOf(m *schema.Message, payload []byte) uint32 {
	v, err := schema.Decode(m, payload)
	if err != nil {
		return 0
	}
	h, ok, err := v.Get("header")
	if err != nil || !ok {
		return 0
	}
	hv, ok := h.(*schema.View)
	if !ok {
		return 0
	}
	i, _, _ := hv.Get("dev_index")
	u, _ := i.(uint64)
	return uint32(u)
}

// writeVerbose appends bitset p, at type typ, as a list of BIT nests: each
// with its index, its name where names has one, and for a bitset with a
// mask, whether it is set.
func writeVerbose(e *packet.Encoder, typ uint16, p bitsetParts, names []string) {
	n := e.BeginNested(typ)
	if p.noMask {
		e.Flag(unix.ETHTOOL_A_BITSET_NOMASK)
	}
	e.Uint32(unix.ETHTOOL_A_BITSET_SIZE, p.size)
	bits := e.BeginNested(unix.ETHTOOL_A_BITSET_BITS)
	for i := uint32(0); i < p.size; i++ {
		listed := p.noMask && has(p.value, i) || !p.noMask && has(p.mask, i)
		if !listed {
			continue
		}
		bit := e.BeginNested(unix.ETHTOOL_A_BITSET_BITS_BIT)
		e.Uint32(unix.ETHTOOL_A_BITSET_BIT_INDEX, i)
		if int(i) < len(names) && names[i] != "" {
			e.String(unix.ETHTOOL_A_BITSET_BIT_NAME, names[i])
		}
		if !p.noMask && has(p.value, i) {
			e.Flag(unix.ETHTOOL_A_BITSET_BIT_VALUE)
		}
		e.EndNested(bit)
	}
	e.EndNested(bits)
	e.EndNested(n)
}

// StringSetRequest is the request of StrSet for one string set (ETH_SS_*),
// of the device with ifindex dev, or a global one when dev is 0.
func StringSetRequest(set, dev uint32) schema.Fields {
	f := schema.Fields{"stringsets": schema.Fields{"stringset": []any{schema.Fields{"id": uint64(set)}}}}
	if dev != 0 {
		f["header"] = schema.Fields{"dev_index": uint64(dev)}
	}
	return f
}

// StringSetOf reads the strings of the one string set the kernel's
// replies to StringSetRequest hold, in index order: the names for
// BitNames. There must be exactly one reply.
func StringSetOf(replies []*schema.View) ([]string, error) {
	if len(replies) != 1 {
		return nil, fmt.Errorf("strset: %d replies, want 1", len(replies))
	}
	sets, ok, err := replies[0].Get("stringsets")
	if err != nil || !ok {
		return nil, fmt.Errorf("strset: no stringsets (%v)", err)
	}
	set, ok, err := sets.(*schema.View).Get("stringset")
	if err != nil || !ok {
		return nil, fmt.Errorf("strset: no stringset (%v)", err)
	}
	list, _ := set.([]any)
	if len(list) != 1 {
		return nil, fmt.Errorf("strset: %d string sets, want 1", len(list))
	}
	strs, ok, err := list[0].(*schema.View).Get("strings")
	if err != nil {
		return nil, fmt.Errorf("strset: strings: %w", err)
	}
	if !ok {
		return nil, nil // an empty set
	}
	names := make([]string, 0, len(strs.([]any)))
	for _, s := range strs.([]any) {
		str, _ := s.(string)
		names = append(names, str)
	}
	return names, nil
}
