package netdev_test

import (
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/testgenl"
	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/netdev"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestRequestBytes checks requests against bytes written out by hand from
// the spec (Documentation/netlink/specs/netdev.yaml): every attribute is a
// 4-byte header (length, type) and a payload padded to 4 bytes, in
// wire-type order; genlmsghdr is cmd, version 1, two reserved bytes. The
// family id, 0x14, is made up.
func TestRequestBytes(t *testing.T) {
	tests := []struct {
		name   string
		op     *genl.Operation
		flags  uint16
		fields schema.Fields
		want   string
	}{
		{"dev do", netdev.Dev, unix.NLM_F_REQUEST, schema.Fields{"ifindex": 3},
			"1c000000 1400 0100 00000000 00000000" + // nlmsghdr: 16+4+8 = 28 bytes
				"01010000" + // cmd DEV_GET (1), version 1
				"08000100 03000000"}, // NETDEV_A_DEV_IFINDEX (1) = 3
		{"queue do", netdev.Queue, unix.NLM_F_REQUEST, schema.Fields{"ifindex": 3, "type": "tx", "id": 2},
			"2c000000 1400 0100 00000000 00000000" + // 16+4+3*8 = 44 bytes
				"0a010000" + // cmd QUEUE_GET (10)
				"08000100 02000000" + // NETDEV_A_QUEUE_ID (1) = 2
				"08000200 03000000" + // NETDEV_A_QUEUE_IFINDEX (2) = 3
				"08000300 01000000"}, // NETDEV_A_QUEUE_TYPE (3) = NETDEV_QUEUE_TYPE_TX (1)
		{"napi dump by ifindex", netdev.Napi, unix.NLM_F_REQUEST | unix.NLM_F_DUMP, schema.Fields{"ifindex": 3},
			"1c000000 1400 0103 00000000 00000000" + // flags REQUEST|DUMP = 0x301
				"0b010000" + // cmd NAPI_GET (11)
				"08000100 03000000"}, // NETDEV_A_NAPI_IFINDEX (1) = 3
		{"qstats per queue", netdev.Qstats, unix.NLM_F_REQUEST | unix.NLM_F_DUMP, schema.Fields{"ifindex": 3, "scope": "queue"},
			"24000000 1400 0103 00000000 00000000" + // 16+4+2*8 = 36 bytes
				"0c010000" + // cmd QSTATS_GET (12)
				"08000100 03000000" + // NETDEV_A_QSTATS_IFINDEX (1) = 3
				"08000400 01000000"}, // NETDEV_A_QSTATS_SCOPE (4), a uint: 4 bytes for NETDEV_QSTATS_SCOPE_QUEUE (1)
		{"page pool stats by id", netdev.PagePoolStats, unix.NLM_F_REQUEST, schema.Fields{"info": schema.Fields{"id": 7}},
			"20000000 1400 0100 00000000 00000000" + // 16+4+12 = 32 bytes
				"09010000" + // cmd PAGE_POOL_STATS_GET (9)
				"0c000180" + // NETDEV_A_PAGE_POOL_STATS_INFO (1) | NLA_F_NESTED, 12 bytes
				"08000100 07000000"}, // NETDEV_A_PAGE_POOL_ID (1) = 7, a uint in 4 bytes
		{"set napi", netdev.SetNapi, unix.NLM_F_REQUEST | unix.NLM_F_ACK,
			schema.Fields{"id": 261, "defer_hard_irqs": 5, "gro_flush_timeout": 20000, "irq_suspend_timeout": uint64(1) << 33, "threaded": "enabled"},
			"40000000 1400 0500 00000000 00000000" + // 16+4+4*8+12 = 64 bytes, REQUEST|ACK
				"0e010000" + // cmd NAPI_SET (14)
				"08000200 05010000" + // NETDEV_A_NAPI_ID (2) = 261
				"08000500 05000000" + // NETDEV_A_NAPI_DEFER_HARD_IRQS (5) = 5
				"08000600 204e0000" + // NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT (6), a uint in 4 bytes: 20000
				"0c000700 00000000 02000000" + // NETDEV_A_NAPI_IRQ_SUSPEND_TIMEOUT (7), a uint in 8 bytes: 1<<33
				"08000800 01000000"}, // NETDEV_A_NAPI_THREADED (8) = enabled (1)
		{"page pool do", netdev.PagePool, unix.NLM_F_REQUEST, schema.Fields{"id": uint64(1) << 32},
			"20000000 1400 0100 00000000 00000000" + // a uint past 32 bits takes 8 bytes
				"05010000" + // cmd PAGE_POOL_GET (5)
				"0c000100 00000000 01000000"}, // NETDEV_A_PAGE_POOL_ID (1) = 1<<32
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			testgenl.Check(t, netdev.Family, tt.op, 0x14, tt.flags, tt.fields, tt.want)
		})
	}
}

// TestOpCommands ties each operation to its NETDEV_CMD_* number.
func TestOpCommands(t *testing.T) {
	want := map[string]uint8{"dev": 1, "page_pool": 5, "page_pool_stats": 9, "queue": 10, "napi": 11, "qstats": 12, "set_napi": 14}
	for _, op := range netdev.Family.Ops {
		if op.Cmd != want[op.Name] {
			t.Errorf("%s: cmd %d, want %d", op.Name, op.Cmd, want[op.Name])
		}
		delete(want, op.Name)
	}
	if len(want) != 0 {
		t.Errorf("operations missing: %v", want)
	}
}

// TestRequestErrors: a request field the operation does not take, or a
// name its enum lacks, is an error naming it.
func TestRequestErrors(t *testing.T) {
	tests := []struct {
		op     *genl.Operation
		fields schema.Fields
		want   string
	}{
		{netdev.Queue, schema.Fields{"type": "rxx"}, `type: unknown queue_type "rxx"; known: rx, tx`},
		{netdev.Qstats, schema.Fields{"scope": "device"}, `scope: unknown qstats_scope flag "device"`},
		{netdev.Dev, schema.Fields{"xdp_features": 1}, "xdp_features"},
		{netdev.Napi, schema.Fields{"ifindex": -1}, "ifindex: -1 is negative"},
	}
	for _, tt := range tests {
		_, err := testgenl.Encode(netdev.Family, tt.op, 0x14, unix.NLM_F_REQUEST, tt.fields)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %v: got %v, want %q", tt.op.Name, tt.fields, err, tt.want)
		}
	}
}

// TestReplies decodes replies written out by hand, byte by byte, after the
// spec: what veth answers (dev, queue, napi) and what it never sends
// (page pools, their statistics, qstats, AF_XDP and io_uring nests).
func TestReplies(t *testing.T) {
	tests := []struct {
		name string
		op   *schema.Message
		hex  string
		json string
	}{
		{"dev of veth", netdev.Dev.Reply,
			"01010000" + // DEV_GET reply
				"08000100 03000000" + // ifindex 3
				"0c000300 23000000 00000000" + // xdp_features u64: basic(1)|redirect(2)|rx_sg(0x20)
				"0c000500 07000000 00000000" + // xdp_rx_metadata_features: timestamp|hash|vlan_tag
				"0c000600 00000000 00000000", // xsk_features: none
			`{"ifindex":3,"xdp_features":["basic","redirect","rx_sg"],"xdp_rx_metadata_features":["timestamp","hash","vlan_tag"],"xsk_features":[]}`},
		{"dev with zero-copy AF_XDP", netdev.Dev.Reply,
			"04010000" + // DEV_CHANGE_NTF
				"08000100 07000000" + // ifindex 7
				"0c000300 ef000000 00000000" + // xdp_features: every bit but hw_offload (0x10), and 0x80 unnamed
				"08000400 11000000" + // xdp_zc_max_segs 17
				"0c000600 05000000 00000000", // xsk_features: tx_timestamp|tx_launch_time_fifo
			`{"ifindex":7,"xdp_features":["basic","redirect","ndo_xmit","xsk_zerocopy","rx_sg","ndo_xmit_sg","0x80"],"xdp_zc_max_segs":17,"xsk_features":["tx_timestamp","tx_launch_time_fifo"]}`},
		{"rx queue", netdev.Queue.Reply,
			"0a010000" +
				"08000100 00000000" + // id 0
				"08000200 03000000" + // ifindex 3
				"08000300 00000000" + // type rx (0)
				"08000400 02010000" + // napi_id 258
				"04000680" + // io_uring: an empty nest
				"04000780", // xsk: an empty nest
			`{"id":0,"ifindex":3,"type":"rx","napi_id":258,"io_uring":{},"xsk":{}}`},
		{"threaded napi", netdev.Napi.Reply,
			"0b010000" +
				"08000100 03000000" + // ifindex 3
				"08000200 02010000" + // id 258
				"08000400 bc340000" + // pid 13500
				"08000500 03000000" + // defer_hard_irqs 3
				"08000600 204e0000" + // gro_flush_timeout, a uint in 4 bytes: 20000
				"0c000700 00e40b54 02000000" + // irq_suspend_timeout, a uint in 8 bytes: 10000000000
				"08000800 01000000", // threaded: enabled (1)
			`{"ifindex":3,"id":258,"pid":13500,"defer_hard_irqs":3,"gro_flush_timeout":20000,"irq_suspend_timeout":10000000000,"threaded":"enabled"}`},
		{"page pool, detached", netdev.PagePool.Reply,
			"05010000" +
				"08000100 05000000" + // id 5
				"08000200 00000000" + // ifindex 0: its device is gone
				"08000300 02010000" + // napi_id 258
				"0c000400 00010000 00000000" + // inflight 256 in 8 bytes
				"08000500 00001000" + // inflight_mem 0x100000
				"08000600 2a000000" + // detach_time 42
				"08000700 09000000", // dmabuf 9
			`{"id":5,"ifindex":0,"napi_id":258,"inflight":256,"inflight_mem":1048576,"detach_time":42,"dmabuf":9}`},
		{"page pool stats", netdev.PagePoolStats.Reply,
			"09010000" +
				"14000180" + // info, nested, 20 bytes:
				"08000100 05000000" + //   id 5
				"08000200 03000000" + //   ifindex 3
				"0c000800 e8030000 00000000" + // alloc_fast 1000 in 8 bytes
				"08000900 02000000" + // alloc_slow 2
				"08001200 07000000", // recycle_released_refcnt (18) 7
			`{"info":{"id":5,"ifindex":3},"alloc_fast":1000,"alloc_slow":2,"recycle_released_refcnt":7}`},
		{"qstats of a tx queue", netdev.Qstats.Reply,
			"0c010000" +
				"08000100 03000000" + // ifindex 3
				"08000200 01000000" + // queue_type tx
				"08000300 01000000" + // queue_id 1
				"08000a00 0a000000" + // tx_packets (10) 10
				"0c000b00 00000000 01000000" + // tx_bytes (11) 1<<32
				"08002200 04000000", // tx_wake (34) 4
			`{"ifindex":3,"queue_type":"tx","queue_id":1,"tx_packets":10,"tx_bytes":4294967296,"tx_wake":4}`},
		{"unknown attribute kept raw", netdev.Dev.Reply,
			"01010000" +
				"08000100 01000000" + // ifindex 1
				"05006300 ab000000", // type 99, one byte
			`{"ifindex":1,"attr99":"ab"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := schema.Decode(tt.op, testhex.Decode(t, tt.hex))
			if err != nil {
				t.Fatal(err)
			}
			if err := v.Err(); err != nil {
				t.Fatal(err)
			}
			j, err := v.MarshalJSON()
			if err != nil || string(j) != tt.json {
				t.Errorf("\n got %s (%v)\nwant %s", j, err, tt.json)
			}
		})
	}
}

// TestReplyCommands: replies and notifications name their command.
func TestReplyCommands(t *testing.T) {
	for cmd, want := range map[byte]string{1: "dev_get", 2: "dev_add_ntf", 3: "dev_del_ntf", 4: "dev_change_ntf",
		5: "page_pool_get", 6: "page_pool_add_ntf", 7: "page_pool_del_ntf", 8: "page_pool_change_ntf",
		9: "page_pool_stats_get", 10: "queue_get", 11: "napi_get", 12: "qstats_get", 13: "bind_rx", 14: "napi_set", 15: "bind_tx"} {
		v, err := schema.Decode(netdev.Dev.Reply, []byte{cmd, 1, 0, 0})
		if err != nil {
			t.Fatal(err)
		}
		if got, _, _ := v.Get("cmd"); got != want {
			t.Errorf("cmd %d reads %v, want %s", cmd, got, want)
		}
	}
}

// TestBadReplies: an attribute too short for its kind is an error when
// read, never a panic; JSON leaves it out, and the other fields still read.
func TestBadReplies(t *testing.T) {
	tests := []struct {
		op    *schema.Message
		hex   string
		field string
	}{
		{netdev.Dev.Reply, "01010000 08000100 03000000 08000300 23000000", "xdp_features"},        // a u64 in 4 bytes
		{netdev.Napi.Reply, "0b010000 08000100 03000000 07000600 010203 00", "gro_flush_timeout"}, // a uint in 3 bytes
		{netdev.Queue.Reply, "0a010000 08000100 03000000 06000300 0100 0000", "type"},             // a u32 in 2 bytes
	}
	for _, tt := range tests {
		v, err := schema.Decode(tt.op, testhex.Decode(t, tt.hex))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := v.Get(tt.field); err == nil {
			t.Errorf("%s: a short %s decoded", tt.op.Name, tt.field)
		}
		if j, err := v.MarshalJSON(); err != nil || strings.Contains(string(j), tt.field) {
			t.Errorf("%s: JSON %s (%v) shows the malformed %s", tt.op.Name, j, err, tt.field)
		}
		if got, ok, err := v.Get(tt.op.Attrs.ByType(1).Name); !ok || err != nil {
			t.Errorf("%s: attribute 1 reads %v, %v, %v", tt.op.Name, got, ok, err)
		}
	}
}

func FuzzNetdevDecode(f *testing.F) {
	f.Add(uint8(0), []byte{0x01, 1, 0, 0, 8, 0, 1, 0, 3, 0, 0, 0, 12, 0, 3, 0, 0x23, 0, 0, 0, 0, 0, 0, 0})
	f.Add(uint8(3), []byte{0x0a, 1, 0, 0, 8, 0, 3, 0, 1, 0, 0, 0, 4, 0, 6, 0x80})
	f.Add(uint8(2), []byte{0x09, 1, 0, 0, 12, 0, 1, 0x80, 8, 0, 1, 0, 5, 0, 0, 0})
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		// Replies, and requests as a dry run decodes them (set_napi has
		// no reply).
		op := netdev.Family.Ops[int(which)%len(netdev.Family.Ops)]
		m := op.Reply
		if which >= 128 || m == nil {
			m = op.Request
		}
		v, err := schema.Decode(m, b)
		if err != nil {
			return
		}
		for _, name := range m.FieldNames() {
			val, _, _ := v.Get(name)
			if nest, ok := val.(*schema.View); ok {
				_, _ = nest.MarshalJSON()
			}
		}
		_, _ = v.MarshalJSON()
	})
}
