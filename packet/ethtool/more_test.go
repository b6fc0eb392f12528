package ethtool_test

import (
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestMoreRequests checks the requests of phy, tsconfig, module_eeprom,
// the cable tests and a header naming a PHY against bytes written out by
// hand from ethtool_netlink_generated.h: nlmsghdr (type 0x15,
// NLM_F_REQUEST), genlmsghdr (cmd, version 1), the header nest, then the
// operation's attributes.
func TestMoreRequests(t *testing.T) {
	tests := []struct {
		op   string
		f    schema.Fields
		want string
	}{
		{"phy", schema.Fields{"header": schema.Fields{"dev_name": "v0"}},
			"20000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12 = 32 bytes
				"2d010000" + // cmd PHY_GET (45)
				"0c000180" + "07000200" + "76300000"}, // header: dev_name "v0"
		{"cable_test", schema.Fields{"header": schema.Fields{"dev_name": "v0", "phy_index": 2}},
			"28000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+20 = 40 bytes
				"1a010000" + // cmd CABLE_TEST_ACT (26)
				"14000180" + "07000200" + "76300000" + // header: dev_name "v0",
				"08000400" + "02000000"}, // PHY_INDEX (4) 2
		{"cable_test_tdr", schema.Fields{"header": schema.Fields{"dev_name": "v0"},
			"cfg": schema.Fields{"first": 100, "last": 1000, "step": 100, "pair": "B"}},
			"44000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+36 = 68 bytes
				"1b010000" + // cmd CABLE_TEST_TDR_ACT (27)
				"0c000180" + "07000200" + "76300000" +
				"24000280" + // CFG (2): 4+8+8+8+8
				"08000100" + "64000000" + // FIRST 100 cm
				"08000200" + "e8030000" + // LAST 1000 cm
				"08000300" + "64000000" + // STEP 100 cm
				"05000400" + "01000000"}, // PAIR B, a padded u8
		{"module_eeprom", schema.Fields{"header": schema.Fields{"dev_name": "v0"},
			"offset": 0, "length": 16, "page": 0, "bank": 0, "i2c_address": 0x50},
			"48000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+40 = 72 bytes
				"1f010000" + // cmd MODULE_EEPROM_GET (31)
				"0c000180" + "07000200" + "76300000" +
				"08000200" + "00000000" + // OFFSET 0
				"08000300" + "10000000" + // LENGTH 16
				"05000400" + "00000000" + // PAGE 0
				"05000500" + "00000000" + // BANK 0
				"05000600" + "50000000"}, // I2C_ADDRESS 0x50
		{"set_tsconfig", schema.Fields{"header": schema.Fields{"dev_name": "v0"},
			"hwtstamp_provider": schema.Fields{"index": 0, "qualifier": "precise"},
			"tx_types":          []any{"on"}, "rx_filters": []any{"all"}},
			"64000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+12+20+24+24 = 100 bytes
				"2f010000" + // cmd TSCONFIG_SET (47)
				"0c000180" + "07000200" + "76300000" +
				"14000280" + "08000100" + "00000000" + "08000200" + "00000000" + // HWTSTAMP_PROVIDER{INDEX 0, QUALIFIER precise}
				"18000380" + "04000100" + "10000380" + "0c000180" + "07000200" + str("on") + // TX_TYPES: NOMASK, BITS{BIT{NAME}}
				"18000480" + "04000100" + "10000380" + "0c000180" + "08000200" + str("all")}, // RX_FILTERS
		{"pse", schema.Fields{"header": schema.Fields{"dev_index": 5, "phy_index": 1}},
			"28000000" + "1500" + "0100" + "00000000" + "00000000" + // 16+4+20 = 40 bytes
				"24010000" + // cmd PSE_GET (36)
				"14000180" + "08000100" + "05000000" + "08000400" + "01000000"}, // header: DEV_INDEX 5, PHY_INDEX 1
	}
	for _, tt := range tests {
		op := ethtool.Family.Op(tt.op)
		if op == nil {
			t.Fatalf("no op %s", tt.op)
		}
		checkRequest(t, op, tt.f, tt.want)
	}
}

// TestPHYIndexOps: the requests whose header takes phy_index are those
// whose header policy has ETHTOOL_A_HEADER_PHY_INDEX in Linux 6.18 (genl
// ctrl policy name ethtool: header policy maxattr 4), and no other.
func TestPHYIndexOps(t *testing.T) {
	want := []string{"cable_test", "cable_test_tdr", "plca_cfg", "plca_status", "pse", "set_plca_cfg", "set_pse", "strset"}
	var got []string
	for _, op := range ethtool.Family.Ops {
		h := op.Request.Attrs.ByName("header")
		if h == nil {
			t.Errorf("%s: no header", op.Name)
			continue
		}
		if h.Nest.ByName("phy_index") != nil {
			got = append(got, op.Name)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("ops with phy_index: %v, want %v", got, want)
	}
	// The other requests refuse a PHY.
	if _, err := requestHex(ethtool.Channels, schema.Fields{"header": schema.Fields{"phy_index": 1}}); err == nil {
		t.Error("channels took phy_index")
	}
}

// TestMoreReplies decodes replies and events built by hand: the header
// nest of v0 (ifindex 5), then the attributes, those in nests written out
// in hex with their lengths counted in the comments.
func TestMoreReplies(t *testing.T) {
	tests := []struct {
		name  string
		msg   *schema.Message
		cmd   uint8
		attrs func(e *packet.Encoder)
		json  string
	}{
		{"phy", ethtool.PHY.Reply, unix.ETHTOOL_MSG_PHY_GET_REPLY, func(e *packet.Encoder) {
			e.Uint32(2, 1)             // INDEX
			e.String(3, "Generic PHY") // DRVNAME
			e.String(4, "stmmac-0:01") // NAME
			e.Uint32(5, 0)             // UPSTREAM_TYPE mac
			e.String(8, "sfp0")        // DOWNSTREAM_SFP_NAME
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"index":1,"drvname":"Generic PHY","name":"stmmac-0:01","upstream_type":"mac","downstream_sfp_name":"sfp0"}`},
		{"phy behind an SFP", ethtool.PHY.Reply, unix.ETHTOOL_MSG_PHY_NTF, func(e *packet.Encoder) {
			e.Append([]byte{0x08, 0, 0x02, 0, 0x02, 0, 0, 0})                  // INDEX 2
			e.Append([]byte{0x08, 0, 0x05, 0, 0x01, 0, 0, 0})                  // UPSTREAM_TYPE phy
			e.Append([]byte{0x08, 0, 0x06, 0, 0x01, 0, 0, 0})                  // UPSTREAM_INDEX 1
			e.Append([]byte{0x09, 0, 0x07, 0, 's', 'f', 'p', '0', 0, 0, 0, 0}) // UPSTREAM_SFP_NAME "sfp0", padded
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"index":2,"upstream_type":"phy","upstream_index":1,"upstream_sfp_name":"sfp0"}`},
		{"tsconfig", ethtool.TSConfig.Reply, unix.ETHTOOL_MSG_TSCONFIG_GET_REPLY, func(e *packet.Encoder) {
			nested(e, 2, "08000100"+"00000000"+"08000200"+"01000000") // HWTSTAMP_PROVIDER{INDEX 0, QUALIFIER approx}
			// TX_TYPES: NOMASK, SIZE 4, BITS{BIT{INDEX 1, NAME "on"}}: BIT 4+8+8, BITS 4+20.
			nested(e, 3, "04000100"+"08000200"+"04000000"+"18000380"+"14000180"+"08000100"+"01000000"+"07000200"+str("on"))
			nested(e, 4, "04000100"+"08000200"+"10000000"+"18000380"+"14000180"+"08000100"+"01000000"+"08000200"+str("all"))
			nested(e, 5, "04000100"+"08000200"+"01000000"+"04000380") // HWTSTAMP_FLAGS: none
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"hwtstamp_provider":{"index":0,"qualifier":"approx"},"tx_types":["on"],"rx_filters":["all"],"hwtstamp_flags":[]}`},
		{"module_eeprom", ethtool.ModuleEEPROM.Reply, unix.ETHTOOL_MSG_MODULE_EEPROM_GET_REPLY, func(e *packet.Encoder) {
			e.Append([]byte{0x08, 0, 0x07, 0, 0x03, 0x04, 0x07, 0x10}) // DATA: SFP, connector ID, LC, 10G
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"data":"03040710"}`},
		{"cable_test_ntf", ethtool.CableTestNtf.Message, unix.ETHTOOL_MSG_CABLE_TEST_NTF, func(e *packet.Encoder) {
			e.Uint8(2, 2)    // STATUS completed
			nested(e, 3, ""+ // NEST: 20+28+28
				"14000180"+"05000100"+"00000000"+"05000200"+"01000000"+ // RESULT{PAIR A, CODE ok}: 4+8+8
				"1c000180"+"05000100"+"01000000"+"05000200"+"02000000"+"08000300"+"01000000"+ // RESULT{PAIR B, CODE open, SRC tdr}: 4+8+8+8
				"1c000280"+"05000100"+"01000000"+"08000200"+"fa000000"+"08000300"+"01000000") // FAULT_LENGTH{PAIR B, CM 250, SRC tdr}
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"status":"completed","nest":{"result":[{"pair":"A","code":"ok"},{"pair":"B","code":"open","src":"tdr"}],` +
			`"fault_length":[{"pair":"B","cm":250,"src":"tdr"}]}}`},
		{"cable_test_tdr_ntf", ethtool.CableTestTDRNtf.Message, unix.ETHTOOL_MSG_CABLE_TEST_TDR_NTF, func(e *packet.Encoder) {
			e.Uint8(2, 2)    // STATUS completed
			nested(e, 3, ""+ // NEST: 28+12+20+20
				"1c000180"+"08000100"+"64000000"+"08000200"+"c8000000"+"08000300"+"64000000"+ // STEP{FIRST 100, LAST 200, STEP 100}
				"0c000380"+"06000100"+"e8030000"+ // PULSE{MV 1000}: an s16, padded
				"14000280"+"05000100"+"00000000"+"06000200"+"ceff0000"+ // AMPLITUDE{PAIR A, MV -50}
				"14000280"+"05000100"+"00000000"+"06000200"+"14000000") // AMPLITUDE{PAIR A, MV 20}
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"status":"completed","nest":{"step":[{"first_distance":100,"last_distance":200,"step_distance":100}],` +
			`"amplitude":[{"pair":"A","mv":-50},{"pair":"A","mv":20}],"pulse":[{"mv":1000}]}}`},
		{"cable_test_ntf started", ethtool.CableTestNtf.Message, unix.ETHTOOL_MSG_CABLE_TEST_NTF, func(e *packet.Encoder) {
			e.Uint8(2, 1) // STATUS started
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"status":"started"}`},
	}
	for _, tt := range tests {
		checkJSON(t, tt.name, tt.msg, reply(tt.cmd, 1, tt.attrs), tt.json)
	}
}

// TestMoreEvents: the family's events include phy's and the cable tests',
// and each reads its own command.
func TestMoreEvents(t *testing.T) {
	for cmd, name := range map[uint8]string{
		unix.ETHTOOL_MSG_PHY_NTF: "phy_ntf", unix.ETHTOOL_MSG_CABLE_TEST_NTF: "cable_test_ntf",
		unix.ETHTOOL_MSG_CABLE_TEST_TDR_NTF: "cable_test_tdr_ntf",
	} {
		ev := ethtool.Family.Event(cmd)
		if ev == nil || ev.Name != name {
			t.Errorf("event %d: %v, want %s", cmd, ev, name)
			continue
		}
		v, err := schema.Decode(ev.Message, reply(cmd, 1, func(*packet.Encoder) {}))
		if err != nil {
			t.Fatal(err)
		}
		if got, _, _ := v.Get("cmd"); got != name {
			t.Errorf("event %s: cmd reads %v", name, got)
		}
	}
}

// FuzzEthtoolEventDecode decodes bytes as each of the family's events,
// those with schemas of their own (the cable tests') included.
func FuzzEthtoolEventDecode(f *testing.F) {
	events := ethtool.Family.Events
	for i, ev := range events {
		switch ev {
		case ethtool.CableTestNtf:
			f.Add(uint8(i), reply(ev.Cmd, 1, func(e *packet.Encoder) {
				nested(e, 3, "14000180"+"05000100"+"00000000"+"05000200"+"01000000"+
					"1c000280"+"05000100"+"01000000"+"08000200"+"fa000000"+"08000300"+"01000000")
			}))
		case ethtool.CableTestTDRNtf:
			f.Add(uint8(i), reply(ev.Cmd, 1, func(e *packet.Encoder) {
				nested(e, 3, "0c000380"+"06000100"+"e8030000"+"14000280"+"05000100"+"00000000"+"06000200"+"ceff0000")
			}))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		readAll(events[int(which)%len(events)].Message, b)
	})
}

// BenchmarkCableTestNtfDecode decodes a completed cable test's
// notification and reads every result, as a monitor's script would.
func BenchmarkCableTestNtfDecode(b *testing.B) {
	msg := reply(unix.ETHTOOL_MSG_CABLE_TEST_NTF, 1, func(e *packet.Encoder) {
		e.Uint8(2, 2)
		nested(e, 3, "14000180"+"05000100"+"00000000"+"05000200"+"01000000"+
			"1c000180"+"05000100"+"01000000"+"05000200"+"02000000"+"08000300"+"01000000"+
			"1c000280"+"05000100"+"01000000"+"08000200"+"fa000000"+"08000300"+"01000000")
	})
	b.ReportAllocs()
	for b.Loop() {
		v, err := schema.Decode(ethtool.CableTestNtf.Message, msg)
		if err != nil {
			b.Fatal(err)
		}
		nest, _, err := v.Get("nest")
		if err != nil {
			b.Fatal(err)
		}
		results, _, err := nest.(*schema.View).Get("result")
		if err != nil || results == nil {
			b.Fatal(err)
		}
	}
}
