package ethtool

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// Bitset is the codec of an ethtool bitset (ETHTOOL_A_BITSET_*), the nest
// in which the family carries features, link modes, private flags and the
// other sets of named bits. Attributes of kind schema.Custom use it.
//
// A bitset comes in two forms. A list (ETHTOOL_A_BITSET_NOMASK) holds the
// bits that are set, and reads as a list of their names:
//
//	["rx-checksum", "tx-checksum-ip-generic", ...]
//
// A bitset with a mask holds, for each bit in the mask, whether it is set,
// and reads as a schema.Map of name → bool (a dict in Starlark):
//
//	{"1000baseT/Full": True, "100baseT/Full": False}
//
// The kernel writes bits verbosely, by index and name, unless the request
// asked for compact bitsets (ETHTOOL_FLAG_COMPACT_BITSETS); a compact
// bitset's VALUE and MASK u32 arrays carry no names, so its bits read as
// "bit<N>".
//
// Encoding writes the verbose form, by name: a list of names (or "bit<N>"
// for a bit by index) sets exactly those bits and clears every other
// (NOMASK); a dict of name → bool changes the bits it names and leaves the
// rest as they are.
var Bitset schema.Codec = bitsetCodec{}

// bitsetCodec is Bitset, knowing, where the family says, which string set
// names its bits (see NameBits).
type bitsetCodec struct {
	set   uint32 // an ETH_SS_* string set
	named bool   // set is known
}

// appendBitName appends "bit<N>", the name of bit i where the kernel
// gave none.
func appendBitName(dst []byte, i uint32) []byte {
	return strconv.AppendUint(append(dst, "bit"...), uint64(i), 10)
}

// bitIndex reads a "bit<N>" name back.
func bitIndex(name string) (uint32, bool) {
	digits, ok := strings.CutPrefix(name, "bit")
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	i, err := strconv.ParseUint(digits, 10, 32)
	return uint32(i), err == nil
}

// bitsetParts are the attributes of a bitset nest.
type bitsetParts struct {
	noMask            bool
	size              uint32
	hasSize           bool
	bits, value, mask []byte
	hasBits, hasValue bool
	hasMask           bool
}

// compact reports whether the bitset came in the compact form: VALUE (and
// MASK) arrays rather than a list of BIT nests.
func (p *bitsetParts) compact() bool { return !p.hasBits && p.hasValue }

// parseBitset reads the attributes of a bitset nest, checking that a
// compact one has its size and, unless it is a list, its mask.
func parseBitset(b []byte) (bitsetParts, error) {
	var p bitsetParts
	s := packet.NewAttrScanner(b)
	for s.Next() {
		a := s.Attr()
		var err error
		switch a.Type {
		case unix.ETHTOOL_A_BITSET_NOMASK:
			p.noMask, err = a.Flag()
		case unix.ETHTOOL_A_BITSET_SIZE:
			p.size, err = a.Uint32()
			p.hasSize = true
		case unix.ETHTOOL_A_BITSET_BITS:
			p.bits, p.hasBits = a.Value, true
		case unix.ETHTOOL_A_BITSET_VALUE:
			p.value, p.hasValue = a.Value, true
		case unix.ETHTOOL_A_BITSET_MASK:
			p.mask, p.hasMask = a.Value, true
		}
		if err != nil {
			return p, fmt.Errorf("bitset: %w", err)
		}
	}
	if err := s.Err(); err != nil {
		return p, fmt.Errorf("bitset: %w", err)
	}
	if p.compact() {
		if !p.hasSize {
			return p, fmt.Errorf("bitset: compact bitset without a size")
		}
		if !p.noMask && !p.hasMask {
			return p, fmt.Errorf("bitset: compact bitset without a mask")
		}
		words := (uint64(p.size) + 31) / 32
		if uint64(len(p.value)) != words*4 {
			return p, fmt.Errorf("bitset: value of %d bytes for %d bits", len(p.value), p.size)
		}
		if !p.noMask && uint64(len(p.mask)) != words*4 {
			return p, fmt.Errorf("bitset: mask of %d bytes for %d bits", len(p.mask), p.size)
		}
	}
	return p, nil
}

// has reports whether bit i is set in a compact bitset's array of u32
// words, bit 0 being the lowest bit of the first word.
func has(words []byte, i uint32) bool {
	return binary.NativeEndian.Uint32(words[i/32*4:])&(1<<(i%32)) != 0
}

// Decode reads a bitset nest: a []string for a list, a schema.Map for a
// bitset with a mask.
func (bitsetCodec) Decode(b []byte, _ *schema.View) (any, error) {
	p, err := parseBitset(b)
	if err != nil {
		return nil, err
	}
	if !p.compact() {
		return decodeVerbose(p.bits, p.noMask)
	}
	return decodeCompact(p.size, p.value, p.mask, p.noMask), nil
}

// bitsetValue builds the value of a bitset in two passes over its bits:
// the first counts them and measures their names, the second fills a
// list or Map made to size, whose names are slices of one string. A
// bitset so decodes with three allocations however many bits it has,
// where a string and an append per bit would take one or more each.
type bitsetValue struct {
	noMask  bool
	counted bool // the first pass is over; names, list and m have room
	n, size int  // the bits, and the bytes of their names
	names   strings.Builder
	list    []string
	m       schema.Map
}

// bit takes a bit the bitset lists: its name, or where the kernel gave
// none its index, and whether it is set.
func (v *bitsetValue) bit(name []byte, index uint32, on bool) {
	if !v.counted {
		v.n++
		if len(name) == 0 {
			var digits [16]byte
			v.size += len(appendBitName(digits[:0], index))
		}
		v.size += len(name)
		return
	}
	start := v.names.Len()
	if len(name) > 0 {
		v.names.Write(name)
	} else {
		var digits [16]byte
		v.names.Write(appendBitName(digits[:0], index))
	}
	// Grow made room for every name, so the Builder never moves its
	// bytes and each name can share them.
	s := v.names.String()[start:]
	if v.noMask {
		v.list = append(v.list, s)
	} else {
		v.m = append(v.m, schema.MapEntry{Name: s, Value: on})
	}
}

// endCount ends the first pass, making room for what the second takes.
func (v *bitsetValue) endCount() {
	v.counted = true
	v.names.Grow(v.size)
	if v.noMask {
		v.list = make([]string, 0, v.n)
	} else {
		v.m = make(schema.Map, 0, v.n)
	}
}

// value is the bitset read: its list, or its Map.
func (v *bitsetValue) value() any {
	if v.noMask {
		return v.list
	}
	return v.m
}

// verboseBit is a BIT nest: its name, a view of the message's bytes up
// to the first NUL, and its index and value.
type verboseBit struct {
	name   []byte
	index  uint32
	listed bool // has an index
	on     bool
}

// readBit reads a BIT nest, which must have an index or a name.
func readBit(b []byte) (verboseBit, error) {
	var bit verboseBit
	s := packet.NewAttrScanner(b)
	for s.Next() {
		a := s.Attr()
		var err error
		switch a.Type {
		case unix.ETHTOOL_A_BITSET_BIT_INDEX:
			bit.index, err = a.Uint32()
			bit.listed = true
		case unix.ETHTOOL_A_BITSET_BIT_NAME:
			bit.name = a.Value
			if i := bytes.IndexByte(bit.name, 0); i >= 0 {
				bit.name = bit.name[:i] // as Attr.String reads it
			}
		case unix.ETHTOOL_A_BITSET_BIT_VALUE:
			bit.on, err = a.Flag()
		}
		if err != nil {
			return bit, fmt.Errorf("bitset bit: %w", err)
		}
	}
	if err := s.Err(); err != nil {
		return bit, fmt.Errorf("bitset bit: %w", err)
	}
	if len(bit.name) == 0 && !bit.listed {
		return bit, fmt.Errorf("bitset bit has neither index nor name")
	}
	return bit, nil
}

// decodeVerbose reads ETHTOOL_A_BITSET_BITS: one BIT nest per bit listed.
func decodeVerbose(bits []byte, noMask bool) (any, error) {
	v := bitsetValue{noMask: noMask}
	for range 2 {
		s := packet.NewAttrScanner(bits)
		for s.Next() {
			if s.Attr().Type != unix.ETHTOOL_A_BITSET_BITS_BIT {
				continue
			}
			b, err := readBit(s.Attr().Value)
			if err != nil {
				return nil, err
			}
			v.bit(b.name, b.index, b.on)
		}
		if err := s.Err(); err != nil {
			return nil, fmt.Errorf("bitset bits: %w", err)
		}
		if !v.counted {
			v.endCount()
		}
	}
	return v.value(), nil
}

// decodeCompact reads the VALUE and MASK arrays of a compact bitset that
// parseBitset has checked; bits past size are ignored.
func decodeCompact(size uint32, value, mask []byte, noMask bool) any {
	v := bitsetValue{noMask: noMask}
	for range 2 {
		for i := uint32(0); i < size; i++ {
			switch {
			case noMask && has(value, i):
				v.bit(nil, i, true)
			case !noMask && has(mask, i):
				v.bit(nil, i, has(value, i))
			}
		}
		if !v.counted {
			v.endCount()
		}
	}
	return v.value()
}

// Encode writes a verbose bitset: from a list of names, the bits to set
// (NOMASK); from Fields or a schema.Map of name → bool, the bits to change.
func (bitsetCodec) Encode(e *packet.Encoder, typ uint16, val any) error {
	type bit struct {
		name string
		on   bool
	}
	var bits []bit
	noMask := false
	switch x := val.(type) {
	case []string:
		noMask = true
		for _, n := range x {
			bits = append(bits, bit{n, true})
		}
	case []any:
		noMask = true
		for i, el := range x {
			n, ok := el.(string)
			if !ok {
				return fmt.Errorf("[%d]: want a bit name, got %T", i, el)
			}
			bits = append(bits, bit{n, true})
		}
	case schema.Fields:
		for n, v := range x {
			on, ok := v.(bool)
			if !ok {
				return fmt.Errorf("%q: want True or False, got %T", n, v)
			}
			bits = append(bits, bit{n, on})
		}
		// A Go map has no order; sort for the same bytes every time.
		slices.SortFunc(bits, func(a, b bit) int { return strings.Compare(a.name, b.name) })
	case schema.Map:
		for _, me := range x {
			on, ok := me.Value.(bool)
			if !ok {
				return fmt.Errorf("%q: want True or False, got %T", me.Name, me.Value)
			}
			bits = append(bits, bit{me.Name, on})
		}
	default:
		return fmt.Errorf("want a list of bit names or a dict of name to bool, got %T", val)
	}
	for _, b := range bits {
		if b.name == "" || strings.IndexByte(b.name, 0) >= 0 {
			return fmt.Errorf("%q is not a bit name", b.name)
		}
	}
	n := e.BeginNested(typ)
	if noMask {
		e.Flag(unix.ETHTOOL_A_BITSET_NOMASK)
	}
	list := e.BeginNested(unix.ETHTOOL_A_BITSET_BITS)
	for _, b := range bits {
		one := e.BeginNested(unix.ETHTOOL_A_BITSET_BITS_BIT)
		if i, ok := bitIndex(b.name); ok {
			e.Uint32(unix.ETHTOOL_A_BITSET_BIT_INDEX, i)
		} else {
			e.String(unix.ETHTOOL_A_BITSET_BIT_NAME, b.name)
		}
		if b.on && !noMask {
			e.Flag(unix.ETHTOOL_A_BITSET_BIT_VALUE)
		}
		e.EndNested(one)
	}
	e.EndNested(list)
	e.EndNested(n)
	return nil
}
