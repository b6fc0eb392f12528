package ethtool_test

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestRequestBytes checks a channels request against bytes written out by
// hand from ethtool_netlink.h: genlmsghdr (cmd 17, version 1), then
// ETHTOOL_A_CHANNELS_HEADER (1, nested) holding ETHTOOL_A_HEADER_DEV_NAME
// (2) "v0".
func TestRequestBytes(t *testing.T) {
	checkRequest(t, ethtool.Channels, schema.Fields{"header": schema.Fields{"dev_name": "v0"}}, ""+
		"20000000"+"1500"+"0100"+"00000000"+"00000000"+ // nlmsghdr: 16+4+12 = 32 bytes, type 0x15, NLM_F_REQUEST
		"11010000"+ // cmd CHANNELS_GET, version 1
		"0c000180"+"07000200"+"76300000") // header nest, dev_name "v0\0" padded
}

// TestReplies decodes replies built by hand for every operation.
func TestReplies(t *testing.T) {
	tests := []struct {
		op    string
		cmd   uint8
		attrs func(e *packet.Encoder)
		json  string
	}{
		{"channels", unix.ETHTOOL_MSG_CHANNELS_GET_REPLY, func(e *packet.Encoder) {
			e.Uint32(unix.ETHTOOL_A_CHANNELS_RX_MAX, 3)
			e.Uint32(unix.ETHTOOL_A_CHANNELS_TX_MAX, 4)
			e.Uint32(unix.ETHTOOL_A_CHANNELS_RX_COUNT, 2)
			e.Uint32(unix.ETHTOOL_A_CHANNELS_TX_COUNT, 3)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"rx_max":3,"tx_max":4,"rx_count":2,"tx_count":3}`},
		{"linkinfo", unix.ETHTOOL_MSG_LINKINFO_GET_REPLY, func(e *packet.Encoder) {
			e.Uint8(unix.ETHTOOL_A_LINKINFO_PORT, 0)
			e.Uint8(unix.ETHTOOL_A_LINKINFO_PHYADDR, 0)
			e.Uint8(unix.ETHTOOL_A_LINKINFO_TP_MDIX, 0)
			e.Uint8(unix.ETHTOOL_A_LINKINFO_TP_MDIX_CTRL, 3)
			e.Uint8(unix.ETHTOOL_A_LINKINFO_TRANSCEIVER, 0)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"port":"tp","phyaddr":0,"tp_mdix":"unknown","tp_mdix_ctrl":"auto","transceiver":"internal"}`},
		{"linkstate", unix.ETHTOOL_MSG_LINKSTATE_GET_REPLY, func(e *packet.Encoder) {
			e.Uint8(unix.ETHTOOL_A_LINKSTATE_LINK, 1)
			e.Uint32(unix.ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT, 7)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"link":1,"ext_down_cnt":7}`},
		{"rings", unix.ETHTOOL_MSG_RINGS_GET_REPLY, func(e *packet.Encoder) {
			e.Uint32(unix.ETHTOOL_A_RINGS_RX_MAX, 4096)
			e.Uint32(unix.ETHTOOL_A_RINGS_RX, 1024)
			e.Uint8(unix.ETHTOOL_A_RINGS_TCP_DATA_SPLIT, 2)
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"rx_max":4096,"rx":1024,"tcp_data_split":"enabled"}`},
	}
	for _, tt := range tests {
		op := ethtool.Family.Op(tt.op)
		if op == nil {
			t.Fatalf("no op %s", tt.op)
		}
		v := checkJSON(t, tt.op, op.Reply, reply(tt.cmd, 1, tt.attrs), tt.json)
		if v == nil {
			continue
		}
		if cmd, _, _ := v.Get("cmd"); cmd != tt.op+"_get_reply" {
			t.Errorf("%s: cmd reads %v", tt.op, cmd)
		}
	}
}

// TestBadReply: a short attribute is an error naming it, never a panic.
func TestBadReply(t *testing.T) {
	e := packet.NewEncoder(nil)
	e.Append([]byte{unix.ETHTOOL_MSG_CHANNELS_GET_REPLY, 1, 0, 0})
	e.Uint16(unix.ETHTOOL_A_CHANNELS_RX_MAX, 3)
	v, err := schema.Decode(ethtool.Channels.Reply, e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := v.Get("rx_max"); err == nil || !strings.Contains(err.Error(), "rx_max") {
		t.Errorf("short rx_max: %v", err)
	}
}

// FuzzEthtoolDecode decodes bytes as each message of the family, the
// requests too, and reads every field: nothing may panic.
func FuzzEthtoolDecode(f *testing.F) {
	f.Add(uint8(0), []byte{0x12, 1, 0, 0, 8, 0, 2, 0, 3, 0, 0, 0})
	f.Add(uint8(1), []byte{0x02, 1, 0, 0, 5, 0, 2, 0, 0, 0, 0, 0, 12, 0, 1, 0x80, 7, 0, 2, 0, 'v', '0', 0, 0})
	// Every message of the family: each operation's reply, and its
	// request too, which a dry run decodes to print it.
	var msgs []*schema.Message
	for _, op := range ethtool.Family.Ops {
		msgs = append(msgs, op.Request)
		if op.Reply != nil {
			msgs = append(msgs, op.Reply)
		}
	}
	// Seeds with bitsets and the nests inside stats and strset.
	for i, m := range msgs {
		switch m {
		case ethtool.Features.Reply:
			f.Add(uint8(i), reply(unix.ETHTOOL_MSG_FEATURES_GET_REPLY, 1, func(e *packet.Encoder) {
				nested(e, unix.ETHTOOL_A_FEATURES_HW, "08000200"+"02000000"+"18000380"+
					"14000180"+"08000100"+"00000000"+"07000200"+str("sg")+"04000300")
			}))
		case ethtool.Stats.Reply:
			f.Add(uint8(i), reply(unix.ETHTOOL_MSG_STATS_GET_REPLY, 2, func(e *packet.Encoder) {
				nested(e, 4, "08000200"+"01000000"+"10000480"+"0c000000"+"0500000000000000")
			}))
		case ethtool.StrSet.Reply:
			f.Add(uint8(i), reply(unix.ETHTOOL_MSG_STRSET_GET_REPLY, 1, func(e *packet.Encoder) {
				nested(e, unix.ETHTOOL_A_STRSET_STRINGSETS, "1c000180"+"08000100"+"04000000"+
					"10000380"+"0c000180"+"08000100"+"00000000")
			}))
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		readAll(msgs[int(which)%len(msgs)], b)
	})
}

// readAll decodes b as m and reads every field, the names of nested ones
// and the JSON, as a script printing it would; the fuzz targets check
// that none of it panics.
func readAll(m *schema.Message, b []byte) {
	v, err := schema.Decode(m, b)
	if err != nil {
		return
	}
	for _, name := range m.FieldNames() {
		val, _, _ := v.Get(name)
		if nested, ok := val.(*schema.View); ok {
			_ = nested.Names()
		}
	}
	_, _ = v.MarshalJSON()
}
