package ethtool_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// gstrings writes a struct ethtool_gstrings by hand (little-endian):
// cmd ETHTOOL_GSTRINGS (0x1b), the string set, the count, then each name
// NUL-padded to 32 bytes.
func gstrings(set, count string, names ...string) []byte {
	b, _ := hex.DecodeString("1b000000" + set + count)
	for _, n := range names {
		slot := make([]byte, 32)
		copy(slot, n)
		b = append(b, slot...)
	}
	return b
}

// gstats writes a struct ethtool_stats by hand: cmd ETHTOOL_GSTATS (0x1d),
// n_stats, then the u64 values, all given as little-endian hex.
func gstats(hexBody string) []byte {
	b, err := hex.DecodeString("1d000000" + hexBody)
	if err != nil {
		panic(err)
	}
	return b
}

// TestDecodeDriverStats decodes what the ioctl writes for a veth (its
// first two statistics) and checks each way a pair of buffers can be
// wrong.
func TestDecodeDriverStats(t *testing.T) {
	long := strings.Repeat("n", 32) // fills its slot: no NUL
	veth := gstrings("01000000", "02000000", "peer_ifindex", "rx_queue_0_xdp_packets")
	for _, tt := range []struct {
		name           string
		strings, stats []byte
		want           schema.Map // nil: an error containing err
		err            string
	}{
		{"veth", veth, gstats("02000000" + "0200000000000000" + "0400000000000000"),
			schema.Map{{Name: "peer_ifindex", Value: uint64(2)}, {Name: "rx_queue_0_xdp_packets", Value: uint64(4)}}, ""},
		{"u64 high bits", gstrings("01000000", "01000000", "bytes"), gstats("01000000" + "0100000000000080"),
			schema.Map{{Name: "bytes", Value: uint64(1<<63 | 1)}}, ""},
		{"a name without NUL, bytes after the last value", gstrings("01000000", "01000000", long),
			gstats("01000000" + "0700000000000000" + "ffff"),
			schema.Map{{Name: long, Value: uint64(7)}}, ""},
		{"no statistics", gstrings("01000000", "00000000"), gstats("00000000"), schema.Map{}, ""},
		{"the count changed between the reads", veth, gstats("03000000" + strings.Repeat("00", 24)), nil,
			"2 statistics names but 3 values"},
		{"more names than room", gstrings("01000000", "03000000", "a", "b"), gstats("03000000" + strings.Repeat("00", 24)), nil,
			"3 names need 108 bytes, have 76"},
		{"more values than room", veth, gstats("02000000" + "0200000000000000"), nil,
			"2 values need 24 bytes, have 16"},
		{"a count of 2^32-1", gstrings("01000000", "ffffffff"), gstats("ffffffff"), nil, "4294967295 names need 137438953452 bytes"},
		{"the features string set", gstrings("04000000", "00000000"), gstats("00000000"), nil, "string set 4, want ETH_SS_STATS"},
		{"the buffers swapped", gstats("00000000"), gstrings("01000000", "00000000"), nil, "shorter than its 12-byte header"},
		{"a stats cmd that is not GSTATS", gstrings("01000000", "00000000"), gstrings("01000000", "00000000")[:8], nil,
			"ethtool_stats: cmd 0x1b, want ETHTOOL_GSTATS (0x1d)"},
		{"short gstats", veth, []byte{0x1d, 0}, nil, "ethtool_stats: 2 bytes"},
		{"empty", nil, nil, nil, "ethtool_gstrings: 0 bytes"},
	} {
		m, err := ethtool.DecodeDriverStats(tt.strings, tt.stats)
		if tt.want == nil {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: %v, %v; want an error with %q", tt.name, m, err, tt.err)
			}
			continue
		}
		if err != nil || len(m) != len(tt.want) {
			t.Errorf("%s: %v, %v; want %v", tt.name, m, err, tt.want)
			continue
		}
		for i := range m {
			if m[i] != tt.want[i] {
				t.Errorf("%s: entry %d is %v, want %v", tt.name, i, m[i], tt.want[i])
			}
		}
	}
}

// FuzzDecodeDriverStats: no pair of buffers panics the decoder, and what
// it returns has one entry per name the header counts, each name at most
// 32 bytes and without NUL.
func FuzzDecodeDriverStats(f *testing.F) {
	f.Add(gstrings("01000000", "01000000", "peer_ifindex"), gstats("01000000"+"0200000000000000"))
	f.Add(gstrings("01000000", "00000000"), gstats("00000000"))
	f.Add(gstrings("01000000", "ffffffff"), gstats("ffffffff"))
	f.Fuzz(func(t *testing.T, names, values []byte) {
		m, err := ethtool.DecodeDriverStats(names, values)
		if err != nil {
			return
		}
		if want := binary.NativeEndian.Uint32(names[8:]); uint64(len(m)) != uint64(want) {
			t.Fatalf("%d entries where the header counts %d names", len(m), want)
		}
		for _, e := range m {
			if len(e.Name) > ethtool.GStringLen || bytes.IndexByte([]byte(e.Name), 0) >= 0 {
				t.Fatalf("name %q", e.Name)
			}
			if _, ok := e.Value.(uint64); !ok {
				t.Fatalf("value %#v", e.Value)
			}
		}
	})
}

// BenchmarkDecodeDriverStats decodes a veth's ten statistics, as
// ethtool.driver_stats does for each call.
func BenchmarkDecodeDriverStats(b *testing.B) {
	names := []string{"peer_ifindex", "rx_queue_0_xdp_packets", "rx_queue_0_xdp_bytes", "rx_queue_0_drops",
		"rx_queue_0_xdp_redirect", "rx_queue_0_xdp_drops", "rx_queue_0_xdp_tx", "rx_queue_0_xdp_tx_errors",
		"tx_queue_0_xdp_xmit", "tx_queue_0_xdp_xmit_errors"}
	s := gstrings("01000000", "0a000000", names...)
	v := gstats("0a000000" + strings.Repeat("0100000000000000", 10))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ethtool.DecodeDriverStats(s, v); err != nil {
			b.Fatal(err)
		}
	}
}
