package ethtool_test

import (
	"encoding/hex"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// str is the hex of s with its NUL, padded to 4 bytes: the payload of a
// string attribute. Lengths in the tests below are counted by hand.
func str(s string) string {
	b := append([]byte(s), 0)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return hex.EncodeToString(b)
}

// TestBitsetDecode decodes bitsets written out by hand from
// ethtool_netlink.h: NOMASK 1 (flag), SIZE 2 (u32), BITS 3 (nest of BIT 1,
// each INDEX 1 u32, NAME 2 string, VALUE 3 flag), VALUE 4 and MASK 5 (u32
// arrays). Nests carry NLA_F_NESTED (0x8000), as the kernel sends them.
func TestBitsetDecode(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		want any
	}{
		{"verbose list", "" +
			"04000100" + // NOMASK
			"08000200" + "41000000" + // SIZE 65
			"30000380" + // BITS, 4+20+24 = 48 bytes
			"14000180" + "08000100" + "00000000" + "07000200" + str("sg") + // BIT index 0 "sg": 4+8+8
			"18000180" + "08000100" + "07000000" + "0b000200" + str("rx-gro"), // BIT index 7 "rx-gro": 4+8+12
			[]string{"sg", "rx-gro"}},
		{"verbose with mask", "" +
			"08000200" + "20000000" + // SIZE 32
			"48000380" + // BITS, 4+36+32 = 72
			"24000180" + "08000100" + "05000000" + "13000200" + str("1000baseT/Full") + "04000300" + // index 5, on: 4+8+20+4
			"20000180" + "08000100" + "04000000" + "13000200" + str("1000baseT/Half"), // index 4, off: 4+8+20
			schema.Map{{Name: "1000baseT/Full", Value: true}, {Name: "1000baseT/Half", Value: false}}},
		// A bit with an index and no name reads as bit<N>: BITS of 4 +
		// 12 (BIT of 4 + INDEX 8), inside a list.
		{"verbose, a bit without a name", "04000100" + "10000380" + "0c000180" + "08000100" + "09000000", []string{"bit9"}},
		{"verbose, empty list", "04000100" + "08000200" + "00000000" + "04000380", []string{}},
		{"verbose, empty mask", "08000200" + "00000000" + "04000380", schema.Map{}},
		{"compact with mask", "" +
			"08000200" + "28000000" + // SIZE 40: two words
			"0c000400" + "05000000" + "01000000" + // VALUE bits 0, 2, 32
			"0c000500" + "07000000" + "01000000", // MASK bits 0, 1, 2, 32
			schema.Map{{Name: "bit0", Value: true}, {Name: "bit1", Value: false}, {Name: "bit2", Value: true}, {Name: "bit32", Value: true}}},
		{"compact list", "04000100" + "08000200" + "03000000" + "08000400" + "06000000", []string{"bit1", "bit2"}},
		{"compact list ignores bits past size", "04000100" + "08000200" + "02000000" + "08000400" + "07000000", []string{"bit0", "bit1"}},
		{"nothing", "", schema.Map{}},
	}
	for _, tt := range tests {
		got, err := ethtool.Bitset.Decode(testhex.Decode(t, tt.hex), nil)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.name, got, tt.want)
		}
	}
}

// TestBitsetDecodeErrors: malformed bitsets are errors, never panics.
func TestBitsetDecodeErrors(t *testing.T) {
	tests := []struct{ name, hex, want string }{
		{"short size", "06000200" + "0100" + "0000", "bitset"},
		{"flag with payload", "08000100" + "00000000", "bitset"},
		{"truncated", "08000200" + "00", "bitset"},
		{"value shorter than size", "04000100" + "08000200" + "21000000" + "08000400" + "00000000", "value of 4 bytes for 33 bits"},
		{"mask missing", "08000200" + "08000000" + "08000400" + "01000000", "without a mask"},
		{"size missing", "04000100" + "08000400" + "01000000", "without a size"},
		{"mask length", "08000200" + "08000000" + "08000400" + "01000000" + "0c000500" + "01000000" + "00000000", "mask of 8 bytes"},
		{"bit without index or name", "08000380" + "04000180", "neither index nor name"},
		{"bad index", "10000380" + "0c000180" + "05000100" + "01000000", "bitset bit: "}, // a 1-byte INDEX
		{"bad bits nest", "08000380" + "08000180", "bitset bits"},
	}
	for _, tt := range tests {
		_, err := ethtool.Bitset.Decode(testhex.Decode(t, tt.hex), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}

// TestBitsetEncode checks the verbose bitsets written for a list and a
// dict, byte for byte, as attribute 3 (ETHTOOL_A_FEATURES_WANTED).
func TestBitsetEncode(t *testing.T) {
	tests := []struct {
		name string
		val  any
		want string
	}{
		{"list by name and index", []any{"sg", "bit7"}, "" +
			"24000380" + // 4+4+28 = 36
			"04000100" + // NOMASK
			"1c000380" + // BITS: 4+12+12
			"0c000180" + "07000200" + str("sg") +
			"0c000180" + "08000100" + "07000000"},
		{"dict, sorted by name", schema.Fields{"sg": true, "rx-gro": false}, "" +
			"28000380" + // 4+36
			"24000380" + // BITS: 4+16+16
			"10000180" + "0b000200" + str("rx-gro") + // off: no VALUE
			"10000180" + "07000200" + str("sg") + "04000300"}, // on: VALUE
		{"map keeps its order", schema.Map{{Name: "sg", Value: true}, {Name: "bit0", Value: false}}, "" +
			"24000380" + "20000380" +
			"10000180" + "07000200" + str("sg") + "04000300" +
			"0c000180" + "08000100" + "00000000"},
		{"empty list clears all", []string{}, "0c000380" + "04000100" + "04000380"},
		{"empty dict changes nothing", schema.Fields{}, "08000380" + "04000380"},
	}
	for _, tt := range tests {
		e := packet.NewEncoder(nil)
		if err := ethtool.Bitset.Encode(e, 3, tt.val); err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := hex.EncodeToString(e.Bytes()); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// TestBitsetEncodeErrors: a value that is not a list of names or a dict
// of name → bool, or a name that cannot be sent, is an error saying so.
func TestBitsetEncodeErrors(t *testing.T) {
	tests := []struct {
		name string
		val  any
		want string
	}{
		{"a number", 5, "want a list of bit names or a dict"},
		{"a number in the list", []any{"sg", 3}, "[1]: want a bit name"},
		{"a dict of numbers", schema.Fields{"sg": 1}, `"sg": want True or False`},
		{"an empty name", []string{""}, "is not a bit name"},
		{"a NUL", schema.Fields{"a\x00b": true}, "is not a bit name"},
	}
	for _, tt := range tests {
		e := packet.NewEncoder(nil)
		err := ethtool.Bitset.Encode(e, 3, tt.val)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.name, err, tt.want)
		}
	}
}

// FuzzBitset: bad bytes never panic, and whatever decodes encodes back to
// the same value.
func FuzzBitset(f *testing.F) {
	f.Add([]byte{4, 0, 1, 0, 8, 0, 2, 0, 3, 0, 0, 0, 8, 0, 4, 0, 6, 0, 0, 0})
	f.Add([]byte{8, 0, 2, 0, 40, 0, 0, 0, 12, 0, 4, 0, 5, 0, 0, 0, 1, 0, 0, 0, 12, 0, 5, 0, 7, 0, 0, 0, 1, 0, 0, 0})
	f.Add([]byte{4, 0, 1, 0, 16, 0, 3, 0x80, 12, 0, 1, 0x80, 8, 0, 1, 0, 9, 0, 0, 0})
	f.Add([]byte{20, 0, 3, 0x80, 16, 0, 1, 0x80, 7, 0, 2, 0, 's', 'g', 0, 0, 4, 0, 3, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		val, err := ethtool.Bitset.Decode(b, nil)
		if err != nil {
			return
		}
		e := packet.NewEncoder(nil)
		if err := ethtool.Bitset.Encode(e, 1, val); err != nil {
			t.Fatalf("decoded %#v does not encode: %v", val, err)
		}
		s := packet.NewAttrScanner(e.Bytes())
		if !s.Next() {
			t.Fatalf("encoding %#v wrote no attribute", val)
		}
		again, err := ethtool.Bitset.Decode(s.Attr().Value, nil)
		if err != nil || !reflect.DeepEqual(again, val) {
			t.Fatalf("round trip: %#v became %#v (%v)", val, again, err)
		}
	})
}

// TestBitsetDecodeAllocs: a bitset decodes with three allocations (its
// names, its list or Map, and the interface holding it), however many
// bits it has, in either form.
func TestBitsetDecodeAllocs(t *testing.T) {
	for name, payload := range map[string][]byte{
		"verbose with mask": featuresBitset(),
		"compact list":      testhex.Decode(t, "04000100"+"08000200"+"40000000"+"0c000400"+"ffffffff"+"ffffffff"),
	} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := ethtool.Bitset.Decode(payload, nil); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > 3 {
			t.Errorf("%s: %v allocations, want 3", name, allocs)
		}
	}
}

// featuresBitset is a features-sized verbose bitset with a mask, as the
// kernel sends ETHTOOL_A_FEATURES_HW: 64 bits by index and name, half of
// them on.
func featuresBitset() []byte {
	e := packet.NewEncoder(nil)
	e.Uint32(2, 64) // SIZE
	bits := e.BeginNested(3)
	for i := range 64 {
		bit := e.BeginNested(1)
		e.Uint32(1, uint32(i))
		e.String(2, "tx-feature-name-"+strconv.Itoa(i))
		if i%2 == 0 {
			e.Flag(3)
		}
		e.EndNested(bit)
	}
	e.EndNested(bits)
	return e.Bytes()
}

// BenchmarkBitsetDecode decodes featuresBitset.
func BenchmarkBitsetDecode(b *testing.B) {
	payload := featuresBitset()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ethtool.Bitset.Decode(payload, nil); err != nil {
			b.Fatal(err)
		}
	}
}
