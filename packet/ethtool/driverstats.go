package ethtool

import (
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The layouts of struct ethtool_gstrings and struct ethtool_stats
// (include/uapi/linux/ethtool.h), which the SIOCETHTOOL ioctl's
// ETHTOOL_GSTRINGS and ETHTOOL_GSTATS commands fill, and ETH_GSTRING_LEN;
// golang.org/x/sys/unix has none of them.
const (
	// GStringLen is the size of each name in a struct ethtool_gstrings,
	// NUL-padded (ETH_GSTRING_LEN).
	GStringLen = 32
	// GStringsHeaderLen is the size of struct ethtool_gstrings before its
	// names: cmd, string_set and len, three u32s.
	GStringsHeaderLen = 12
	// GStatsHeaderLen is the size of struct ethtool_stats before its
	// values: cmd and n_stats, two u32s.
	GStatsHeaderLen = 8
	// StringsetStats is ETH_SS_STATS, the string set that names a driver's
	// statistics, what `ethtool -S` prints.
	StringsetStats = ssStats
)

// DecodeDriverStats decodes a device's driver statistics, what `ethtool -S`
// prints, from the two buffers the SIOCETHTOOL ioctl fills: gstrings, a
// struct ethtool_gstrings from ETHTOOL_GSTRINGS for the ETH_SS_STATS string
// set (the names), and gstats, a struct ethtool_stats from ETHTOOL_GSTATS
// (the u64 values), both in host byte order. The result has one entry per
// statistic, name → uint64 value, in the driver's order.
//
// Each buffer must hold the count its header gives, and both counts must
// be equal: names and values read while the driver's count changed (a
// queue added between the two reads) do not pair up, and are an error.
// Bytes after the last value or name are ignored. A name is its bytes up
// to the first NUL, all 32 when there is none, as ethtool prints it.
func DecodeDriverStats(gstrings, gstats []byte) (schema.Map, error) {
	if len(gstrings) < GStringsHeaderLen {
		return nil, fmt.Errorf("ethtool_gstrings: %d bytes, shorter than its %d-byte header", len(gstrings), GStringsHeaderLen)
	}
	if len(gstats) < GStatsHeaderLen {
		return nil, fmt.Errorf("ethtool_stats: %d bytes, shorter than its %d-byte header", len(gstats), GStatsHeaderLen)
	}
	ne := binary.NativeEndian
	if cmd := ne.Uint32(gstrings[0:]); cmd != unix.ETHTOOL_GSTRINGS {
		return nil, fmt.Errorf("ethtool_gstrings: cmd %#x, want ETHTOOL_GSTRINGS (%#x)", cmd, unix.ETHTOOL_GSTRINGS)
	}
	if set := ne.Uint32(gstrings[4:]); set != StringsetStats {
		return nil, fmt.Errorf("ethtool_gstrings: string set %d, want ETH_SS_STATS (%d)", set, StringsetStats)
	}
	if cmd := ne.Uint32(gstats[0:]); cmd != unix.ETHTOOL_GSTATS {
		return nil, fmt.Errorf("ethtool_stats: cmd %#x, want ETHTOOL_GSTATS (%#x)", cmd, unix.ETHTOOL_GSTATS)
	}
	nNames, nValues := ne.Uint32(gstrings[8:]), ne.Uint32(gstats[4:])
	if nNames != nValues {
		return nil, fmt.Errorf("%d statistics names but %d values: the driver's count changed between the reads", nNames, nValues)
	}
	// In uint64, so that a count near 2^32 cannot overflow an int.
	if need := GStringsHeaderLen + uint64(nNames)*GStringLen; need > uint64(len(gstrings)) {
		return nil, fmt.Errorf("ethtool_gstrings: %d names need %d bytes, have %d", nNames, need, len(gstrings))
	}
	if need := GStatsHeaderLen + uint64(nValues)*8; need > uint64(len(gstats)) {
		return nil, fmt.Errorf("ethtool_stats: %d values need %d bytes, have %d", nValues, need, len(gstats))
	}
	// One string holds every name, padding and all, and each entry's
	// name is a slice of it: one allocation rather than one per name.
	names := string(gstrings[GStringsHeaderLen : GStringsHeaderLen+int(nNames)*GStringLen])
	m := make(schema.Map, nNames)
	for i := range m {
		name := names[i*GStringLen:][:GStringLen]
		if end := strings.IndexByte(name, 0); end >= 0 {
			name = name[:end]
		}
		m[i] = schema.MapEntry{Name: name, Value: ne.Uint64(gstats[GStatsHeaderLen+i*8:])}
	}
	return m, nil
}
