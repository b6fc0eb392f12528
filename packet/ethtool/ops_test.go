package ethtool_test

import (
	"encoding/hex"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// nested appends a nested attribute whose payload is written out in hex.
func nested(e *packet.Encoder, typ uint16, payload string) {
	b, err := hex.DecodeString(payload)
	if err != nil {
		panic(err)
	}
	e.Attr(typ|unix.NLA_F_NESTED, b)
}

// reply builds a reply of cmd for device v0 (ifindex 5), its header nest
// at headerType, then attrs.
func reply(cmd uint8, headerType uint16, attrs func(e *packet.Encoder)) []byte {
	e := packet.NewEncoder(nil)
	e.Append([]byte{cmd, 1, 0, 0})
	h := e.BeginNested(headerType)
	e.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, 5)
	e.String(unix.ETHTOOL_A_HEADER_DEV_NAME, "v0")
	e.EndNested(h)
	attrs(e)
	return e.Bytes()
}

// checkJSON decodes payload as msg, every field of which must read
// without an error, and compares its JSON with want. It returns the View,
// or nil when the message does not decode.
func checkJSON(t *testing.T, name string, msg *schema.Message, payload []byte, want string) *schema.View {
	t.Helper()
	v, err := schema.Decode(msg, payload)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return nil
	}
	if j, err := v.MarshalJSON(); err != nil || string(j) != want {
		t.Errorf("%s:\n got %s (%v)\nwant %s", name, j, err, want)
	}
	v.Fields(func(f schema.FieldValue) bool {
		if f.Err != nil {
			t.Errorf("%s.%s: %v", name, f.Name, f.Err)
		}
		return true
	})
	return v
}

// TestBitsetReplies decodes a reply of every operation whose attributes
// are bitsets, their payloads written out by hand (lengths counted in the
// comments), and compares the JSON.
func TestBitsetReplies(t *testing.T) {
	tests := []struct {
		op     string
		cmd    uint8
		header uint16
		attrs  func(e *packet.Encoder)
		json   string
	}{
		{"features", unix.ETHTOOL_MSG_FEATURES_GET_REPLY, 1, func(e *packet.Encoder) {
			// hw: a mask of every feature, the value those user space may change.
			nested(e, unix.ETHTOOL_A_FEATURES_HW, "08000200"+"02000000"+ // SIZE 2
				"40000380"+ // BITS: 4+24+36
				"18000180"+"08000100"+"00000000"+"07000200"+str("sg")+"04000300"+ // 4+8+8+4
				"24000180"+"08000100"+"01000000"+"15000200"+str("tx-checksum-ipv4")) // 4+8+24
			// wanted, active: lists; nochange: an empty list.
			nested(e, unix.ETHTOOL_A_FEATURES_WANTED, "04000100"+"08000200"+"02000000"+
				"18000380"+"14000180"+"08000100"+"00000000"+"07000200"+str("sg"))
			nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "04000100"+"08000200"+"02000000"+
				"18000380"+"14000180"+"08000100"+"00000000"+"07000200"+str("sg"))
			nested(e, unix.ETHTOOL_A_FEATURES_NOCHANGE, "04000100"+"08000200"+"02000000"+"04000380")
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"hw":{"sg":true,"tx-checksum-ipv4":false},"wanted":["sg"],"active":["sg"],"nochange":[]}`},
		{"set_features", unix.ETHTOOL_MSG_FEATURES_SET_REPLY, 1, func(e *packet.Encoder) {
			// The requests that did not take, and the features that changed.
			nested(e, unix.ETHTOOL_A_FEATURES_WANTED, "08000200"+"10000000"+
				"20000380"+"1c000180"+"08000100"+"0f000000"+"0b000200"+str("rx-lro")+"04000300") // BIT 4+8+12+4
			nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "08000200"+"10000000"+
				"1c000380"+"18000180"+"08000100"+"0e000000"+"0b000200"+str("rx-gro")) // BIT 4+8+12
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"wanted":{"rx-lro":true},"active":{"rx-gro":false}}`},
		{"fec", unix.ETHTOOL_MSG_FEC_GET_REPLY, 1, func(e *packet.Encoder) {
			// MODES: NOMASK, SIZE 121, BITS{BIT{INDEX 50, NAME "RS"}}: 4+8+8.
			nested(e, 2, "04000100"+"08000200"+"79000000"+"18000380"+"14000180"+"08000100"+"32000000"+"07000200"+str("RS"))
			e.Uint8(3, 0)   // AUTO
			e.Uint32(4, 50) // ACTIVE: ETHTOOL_LINK_MODE_FEC_RS_BIT
			// STATS: CORRECTED, the total and two lanes; UNCORR, the total.
			nested(e, 5, "1c000200"+"0700000000000000"+"0300000000000000"+"0400000000000000"+
				"0c000300"+"0100000000000000")
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"modes":["RS"],"auto":0,"active":"RS","stats":{"corrected":[7,3,4],"uncorr":[1]}}`},
		{"linkmodes", unix.ETHTOOL_MSG_LINKMODES_GET_REPLY, 1, func(e *packet.Encoder) {
			e.Uint8(unix.ETHTOOL_A_LINKMODES_AUTONEG, 1)
			nested(e, unix.ETHTOOL_A_LINKMODES_OURS, "08000200"+"79000000"+ // SIZE 121
				"28000380"+"24000180"+"08000100"+"06000000"+"13000200"+str("1000baseT/Full")+"04000300") // BIT 4+8+20+4
			nested(e, unix.ETHTOOL_A_LINKMODES_PEER, "04000100"+"08000200"+"79000000"+
				"24000380"+"20000180"+"08000100"+"06000000"+"13000200"+str("1000baseT/Full")) // BIT 4+8+20
			e.Uint32(unix.ETHTOOL_A_LINKMODES_SPEED, 1000)
			e.Uint8(unix.ETHTOOL_A_LINKMODES_DUPLEX, 1)
			e.Uint8(unix.ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, 2)
			e.Uint8(unix.ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE, 3)
			e.Uint32(unix.ETHTOOL_A_LINKMODES_LANES, 1)
			e.Uint8(unix.ETHTOOL_A_LINKMODES_RATE_MATCHING, 0)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"autoneg":"on","ours":{"1000baseT/Full":true},"peer":["1000baseT/Full"],` +
			`"speed":1000,"duplex":"full","master_slave_cfg":"master_preferred","master_slave_state":"slave","lanes":1,"rate_matching":"none"}`},
		{"linkmodes", unix.ETHTOOL_MSG_LINKMODES_GET_REPLY, 1, func(e *packet.Encoder) {
			// As a veth answers, but with the link down: no modes, speed
			// and duplex unknown.
			e.Uint8(unix.ETHTOOL_A_LINKMODES_AUTONEG, 0)
			nested(e, unix.ETHTOOL_A_LINKMODES_OURS, "08000200"+"79000000"+"04000380")
			e.Uint32(unix.ETHTOOL_A_LINKMODES_SPEED, 0xffffffff)
			e.Uint8(unix.ETHTOOL_A_LINKMODES_DUPLEX, 0xff)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"autoneg":"off","ours":{},"speed":"unknown","duplex":"unknown"}`},
		{"privflags", unix.ETHTOOL_MSG_PRIVFLAGS_GET_REPLY, 1, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_PRIVFLAGS_FLAGS, "08000200"+"02000000"+
				"40000380"+ // 4+32+28
				"20000180"+"08000100"+"00000000"+"0e000200"+str("legacy-rx")+"04000300"+ // 4+8+16+4
				"1c000180"+"08000100"+"01000000"+"0d000200"+str("vf-ipsec")) // 4+8+16
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"flags":{"legacy-rx":true,"vf-ipsec":false}}`},
		{"eee", unix.ETHTOOL_MSG_EEE_GET_REPLY, 1, func(e *packet.Encoder) {
			// A compact bitset, as with ETHTOOL_FLAG_COMPACT_BITSETS: no names.
			nested(e, unix.ETHTOOL_A_EEE_MODES_OURS, "08000200"+"08000000"+"08000400"+"20000000"+"08000500"+"30000000")
			e.Uint8(unix.ETHTOOL_A_EEE_ACTIVE, 1)
			e.Uint8(unix.ETHTOOL_A_EEE_ENABLED, 1)
			e.Uint8(unix.ETHTOOL_A_EEE_TX_LPI_ENABLED, 0)
			e.Uint32(unix.ETHTOOL_A_EEE_TX_LPI_TIMER, 100)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"modes_ours":{"bit4":false,"bit5":true},"active":1,"enabled":1,"tx_lpi_enabled":0,"tx_lpi_timer":100}`},
		{"tsinfo", unix.ETHTOOL_MSG_TSINFO_GET_REPLY, 1, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_TSINFO_TIMESTAMPING, "04000100"+"08000200"+"11000000"+
				"28000380"+"24000180"+"08000100"+"01000000"+"16000200"+str("software-transmit")) // BIT 4+8+24
			nested(e, unix.ETHTOOL_A_TSINFO_TX_TYPES, "04000100"+"08000200"+"04000000"+"04000380")
			nested(e, unix.ETHTOOL_A_TSINFO_RX_FILTERS, "04000100"+"08000200"+"10000000"+"04000380")
			e.Uint32(unix.ETHTOOL_A_TSINFO_PHC_INDEX, 2)
			nested(e, unix.ETHTOOL_A_TSINFO_STATS, "08000100"+"05000000") // tx_pkts, a 4-byte uint
			nested(e, unix.ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER, "08000100"+"02000000"+"08000200"+"00000000")
			e.Uint32(8, 1) // ETHTOOL_A_TSINFO_HWTSTAMP_SOURCE: netdev
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"timestamping":["software-transmit"],"tx_types":[],"rx_filters":[],"phc_index":2,` +
			`"stats":{"tx_pkts":5},"hwtstamp_provider":{"index":2,"qualifier":"precise"},"hwtstamp_source":"netdev"}`},
		{"wol", unix.ETHTOOL_MSG_WOL_GET_REPLY, 1, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_WOL_MODES, "08000200"+"08000000"+
				"38000380"+ // 4+28+24
				"1c000180"+"08000100"+"05000000"+"0a000200"+str("magic")+"04000300"+ // 4+8+12+4
				"18000180"+"08000100"+"01000000"+"0a000200"+str("ucast")) // 4+8+12
			e.Attr(unix.ETHTOOL_A_WOL_SOPASS, []byte{1, 2, 3, 4, 5, 6})
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"modes":{"magic":true,"ucast":false},"sopass":"010203040506"}`},
		{"debug", unix.ETHTOOL_MSG_DEBUG_GET_REPLY, 1, func(e *packet.Encoder) {
			// A list, as the kernel sends it: the classes logged.
			nested(e, unix.ETHTOOL_A_DEBUG_MSGMASK, "04000100"+"08000200"+"0f000000"+
				"18000380"+"14000180"+"08000100"+"00000000"+"08000200"+str("drv")) // BIT 4+8+8
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"msgmask":["drv"]}`},
		{"strset", unix.ETHTOOL_MSG_STRSET_GET_REPLY, 1, func(e *packet.Encoder) {
			// One set, its strings out of index order.
			nested(e, unix.ETHTOOL_A_STRSET_STRINGSETS, ""+
				"40000180"+ // STRINGSET: 4+8+8+44
				"08000100"+"04000000"+ // ID features
				"08000200"+"02000000"+ // COUNT 2
				"2c000380"+ // STRINGS: 4+20+20
				"14000180"+"08000100"+"01000000"+"07000200"+str("tx")+ // STRING index 1: 4+8+8
				"14000180"+"08000100"+"00000000"+"07000200"+str("sg")) // STRING index 0
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"stringsets":{"stringset":[{"id":"features","count":2,"strings":["sg","tx"]}]}}`},
		{"stats", unix.ETHTOOL_MSG_STATS_GET_REPLY, 2, func(e *packet.Encoder) {
			// Each statistic in a STAT nest of its own, typed by its
			// index in the group: a u64.
			nested(e, 4, ""+ // GRP eth-mac: 4+8+8+3*16 = 68
				"08000200"+"01000000"+ // ID eth-mac
				"08000300"+"12000000"+ // SS_ID stats_eth_mac (18)
				"10000480"+"0c000000"+"0500000000000000"+ // 0 FramesTransmittedOK 5
				"10000480"+"0c000600"+"e803000000000000"+ // 6 OctetsTransmittedOK 1000
				"10000480"+"0c001e00"+"0100000000000000") // 30: past the names
			nested(e, 4, ""+ // GRP rmon: 4+8+8+16+32+32 = 100
				"08000200"+"03000000"+ // ID rmon
				"08000300"+"14000000"+ // SS_ID stats_rmon (20)
				"10000480"+"0c000100"+"0200000000000000"+ // 1 etherStatsOversizePkts 2
				"20000580"+"08000700"+"40000000"+"08000800"+"40000000"+"0c000900"+"0a00000000000000"+ // HIST_RX 64-64: 10
				"20000580"+"08000700"+"41000000"+"08000800"+"7f000000"+"0c000900"+"0300000000000000") // HIST_RX 65-127: 3
			e.Uint32(5, 0) // SRC aggregate
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"grp":[` +
			`{"id":"eth-mac","ss_id":"stats_eth_mac","stat":{"FramesTransmittedOK":5,"OctetsTransmittedOK":1000,"stat30":1}},` +
			`{"id":"rmon","ss_id":"stats_rmon","stat":{"etherStatsOversizePkts":2},"hist_rx":[` +
			`{"hist_bkt_low":64,"hist_bkt_hi":64,"hist_val":10},{"hist_bkt_low":65,"hist_bkt_hi":127,"hist_val":3}]}],"src":"aggregate"}`},
	}
	for _, tt := range tests {
		op := ethtool.Family.Op(tt.op)
		if op == nil || op.Reply == nil {
			t.Fatalf("no op %s with a reply", tt.op)
		}
		checkJSON(t, tt.op, op.Reply, reply(tt.cmd, tt.header, tt.attrs), tt.json)
	}
}

// TestBitsetRequests checks requests with bitsets against bytes written
// out by hand: nlmsghdr (type 0x15, NLM_F_REQUEST), genlmsghdr, the header
// nest naming v0, then the bitset in its verbose form.
func TestBitsetRequests(t *testing.T) {
	tests := []struct {
		op   string
		f    schema.Fields
		want string
	}{
		{"set_features", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "wanted": schema.Fields{"rx-gro": false}},
			"38000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+24 = 56 bytes
				"0c010000" + // cmd FEATURES_SET (12), version 1
				"0c000180" + "07000200" + "76300000" + // header: dev_name "v0"
				"18000380" + "14000380" + "10000180" + "0b000200" + str("rx-gro")}, // WANTED{BITS{BIT{NAME}}}: off, no VALUE
		{"stats", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "groups": []any{"eth-mac"}},
			"3c000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+28 = 60 bytes
				"20010000" + // cmd STATS_GET (32)
				"0c000280" + "07000200" + "76300000" + // header at ETHTOOL_A_STATS_HEADER (2)
				"1c000380" + "04000100" + "14000380" + "10000180" + "0c000200" + str("eth-mac")}, // GROUPS: NOMASK, one bit by name
		{"set_linkmodes", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "autoneg": "on", "speed": 1000},
			"30000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+8+8 = 48 bytes
				"05010000" + // cmd LINKMODES_SET (5)
				"0c000180" + "07000200" + "76300000" +
				"05000200" + "01000000" + // AUTONEG 1, padded
				"08000500" + "e8030000"}, // SPEED 1000
		// What veth lacks, at the byte level.
		{"set_fec", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "modes": schema.Fields{"RS": true}, "auto": 0},
			"40000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+24+8 = 64 bytes
				"1e010000" + // cmd FEC_SET (30)
				"0c000180" + "07000200" + "76300000" +
				"18000280" + "14000380" + "10000180" + "07000200" + str("RS") + "04000300" + // MODES{BITS{BIT{NAME, VALUE}}}
				"05000300" + "00000000"}, // AUTO 0, padded
		{"set_privflags", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "flags": schema.Fields{"legacy-rx": true}},
			"40000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+32 = 64 bytes
				"0e010000" + // cmd PRIVFLAGS_SET (14)
				"0c000180" + "07000200" + "76300000" +
				"20000280" + "1c000380" + "18000180" + "0e000200" + str("legacy-rx") + "04000300"}, // FLAGS{BITS{BIT{NAME, VALUE}}}
		{"set_eee", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "enabled": 1, "tx_lpi_timer": 100},
			"30000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+8+8 = 48 bytes
				"18010000" + // cmd EEE_SET (24)
				"0c000180" + "07000200" + "76300000" +
				"05000500" + "01000000" + // ENABLED 1, padded
				"08000700" + "64000000"}, // TX_LPI_TIMER 100
		{"set_wol", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "modes": schema.Fields{"magic": true}, "sopass": []byte{1, 2, 3, 4, 5, 6}},
			"48000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+28+12 = 72 bytes
				"0a010000" + // cmd WOL_SET (10)
				"0c000180" + "07000200" + "76300000" +
				"1c000280" + "18000380" + "14000180" + "0a000200" + str("magic") + "04000300" + // MODES
				"0a000300" + "010203040506" + "0000"}, // SOPASS, 6 bytes padded
		{"set_debug", schema.Fields{"header": schema.Fields{"dev_name": "v0"}, "msgmask": []any{"drv", "link"}},
			"48000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+40 = 72 bytes
				"08010000" + // cmd DEBUG_SET (8)
				"0c000180" + "07000200" + "76300000" +
				"28000280" + "04000100" + "20000380" + // MSGMASK: NOMASK, BITS 4+12+16
				"0c000180" + "08000200" + str("drv") +
				"10000180" + "09000200" + str("link")},
	}
	for _, tt := range tests {
		op := ethtool.Family.Op(tt.op)
		checkRequest(t, op, tt.f, tt.want)
	}
}
