package tcpmetrics_test

import (
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/testgenl"
	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tcpmetrics"
)

// TestRequestBytes checks requests against bytes written out by hand from
// include/uapi/linux/tcp_metrics.h, as iproute2 sends them: the address
// goes in TCP_METRICS_ATTR_ADDR_IPV4 (1) or _IPV6 (2) by its family, the
// source in _SADDR_IPV4 (11) or _SADDR_IPV6 (12), network byte order. The
// family id, 0x1b, is made up.
func TestRequestBytes(t *testing.T) {
	tests := []struct {
		name   string
		op     *genl.Operation
		flags  uint16
		fields schema.Fields
		want   string
		dry    string // the request as a dry run prints it
	}{
		{"get 10.0.0.2", tcpmetrics.Get, unix.NLM_F_REQUEST, schema.Fields{"address": "10.0.0.2"},
			"1c000000 1b00 0100 00000000 00000000" + // nlmsghdr: 16+4+8 = 28 bytes
				"01010000" + // cmd TCP_METRICS_CMD_GET (1), version 1
				"08000100 0a000002", // ADDR_IPV4 10.0.0.2
			`{"address":"10.0.0.2"}`},
		{"show", tcpmetrics.Get, unix.NLM_F_REQUEST | unix.NLM_F_DUMP, nil,
			"14000000 1b00 0103 00000000 00000000" + // a dump, no attributes
				"01010000",
			`{}`},
		{"delete 2001:db8::2 source 2001:db8::1", tcpmetrics.Delete, unix.NLM_F_REQUEST | unix.NLM_F_ACK, schema.Fields{"address": "2001:db8::2", "source": netip.MustParseAddr("2001:db8::1")},
			"3c000000 1b00 0500 00000000 00000000" + // 16+4+2*20 = 60 bytes, REQUEST|ACK
				"02010000" + // cmd TCP_METRICS_CMD_DEL (2)
				"14000200 20010db8 00000000 00000000 00000002" + // ADDR_IPV6
				"14000c00 20010db8 00000000 00000000 00000001", // SADDR_IPV6
			`{"addr_ipv6":"2001:db8::2","saddr_ipv6":"2001:db8::1"}`},
		{"delete a v4-mapped address", tcpmetrics.Delete, unix.NLM_F_REQUEST, schema.Fields{"address": "::ffff:192.0.2.1", "source": "192.0.2.9"},
			"24000000 1b00 0100 00000000 00000000" +
				"02010000" +
				"08000100 c0000201" + // as IPv4: the kernel keys the entry so
				"08000b00 c0000209", // SADDR_IPV4
			`{"address":"192.0.2.1","source":"192.0.2.9"}`},
		{"flush", tcpmetrics.Flush, unix.NLM_F_REQUEST | unix.NLM_F_ACK, nil,
			"14000000 1b00 0500 00000000 00000000" + // DEL with no address: the whole cache
				"02010000",
			`{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := testgenl.Check(t, tcpmetrics.Family, tt.op, 0x1b, tt.flags, tt.fields, tt.want)
			if b == nil {
				return
			}
			// A dry run prints the request decoded: an IPv6 address
			// under the attribute it went out as.
			v, err := schema.Decode(tt.op.Request, b[packet.HeaderLen:])
			if err != nil {
				t.Fatal(err)
			}
			if j, err := v.MarshalJSON(); err != nil || v.Err() != nil || string(j) != tt.dry {
				t.Errorf("request decodes as %s (%v, %v), want %s", j, err, v.Err(), tt.dry)
			}
		})
	}
}

// TestRequestErrors: what is not one IP address is an error naming the
// argument.
func TestRequestErrors(t *testing.T) {
	tests := []struct {
		op     *genl.Operation
		fields schema.Fields
		want   string
	}{
		{tcpmetrics.Get, schema.Fields{"address": "10.0.0.0/24"}, `address: "10.0.0.0/24" is not an IP address`},
		{tcpmetrics.Delete, schema.Fields{"address": 10}, "address: want an IP address, got int"},
		{tcpmetrics.Delete, schema.Fields{"address": netip.Addr{}}, "address: want an IP address, got an empty one"},
		{tcpmetrics.Delete, schema.Fields{"address": "10.0.0.1", "source": "x"}, `source: "x" is not an IP address`},
		{tcpmetrics.Get, schema.Fields{"addr_ipv6": "::1"}, "addr_ipv6"},
		{tcpmetrics.Flush, schema.Fields{"address": "10.0.0.1"}, "address"},
	}
	for _, tt := range tests {
		_, err := testgenl.Encode(tcpmetrics.Family, tt.op, 0x1b, unix.NLM_F_REQUEST, tt.fields)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %v: got %v, want %q", tt.op.Name, tt.fields, err, tt.want)
		}
	}
}

// TestReplies decodes entries written out by hand: an IPv4 entry as the
// kernel reports one after a connection over loopback, an IPv6 one, and one
// with TCP Fast Open state.
func TestReplies(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		json string
		dst  string
	}{
		{"ipv4 after a connection", "01010000" + // GET reply
			"08000100 7f000001" + // ADDR_IPV4 127.0.0.1
			"0c000300 5c000000 00000000" + // AGE 92 ms
			"2c000680" + // VALS, nested, 44 bytes:
			"08000100 01000000" + //   rtt (TCP_METRIC_RTT+1) 1
			"08000200 01000000" + //   rttvar 1
			"08000400 10000000" + //   cwnd (TCP_METRIC_CWND+1) 16
			"08000600 c3030000" + //   rtt_us 963
			"08000700 52020000" + //   rttvar_us 594
			"08000b00 7f000001", // SADDR_IPV4 127.0.0.1
			`{"dst":"127.0.0.1","age":92,"vals":{"rtt":1,"rttvar":1,"cwnd":16,"rtt_us":963,"rttvar_us":594},"source":"127.0.0.1"}`,
			"127.0.0.1"},
		{"ipv6 with every metric", "01010000" +
			"14000200 20010db8 00000000 00000000 00000002" + // ADDR_IPV6 2001:db8::2
			"0c000300 10270000 00000000" + // AGE 10000 ms
			"3c000680" + // VALS, 60 bytes
			"08000100 02000000" + "08000200 03000000" + "08000300 ffffff7f" + "08000400 0a000000" +
			"08000500 03000000" + "08000600 d0070000" + "08000700 b80b0000" +
			"14000c00 20010db8 00000000 00000000 00000001", // SADDR_IPV6 2001:db8::1
			`{"dst":"2001:db8::2","addr_ipv6":"2001:db8::2","age":10000,"vals":{"rtt":2,"rttvar":3,"ssthresh":2147483647,"cwnd":10,"reordering":3,"rtt_us":2000,"rttvar_us":3000},"source":"2001:db8::1","saddr_ipv6":"2001:db8::1"}`,
			"2001:db8::2"},
		{"fast open", "01010000" +
			"08000100 0a000002" + // 10.0.0.2
			"06000700 b4050000" + // FOPEN_MSS 1460, a u16 padded
			"06000800 0200 0000" + // FOPEN_SYN_DROPS 2
			"0c000900 e8030000 00000000" + // FOPEN_SYN_DROP_TS 1000 ms
			"0c000a00 00112233 44556677" + // FOPEN_COOKIE, 8 bytes
			"08000400 01000000" + // TW_TSVAL 1 (old kernels)
			"08000500 feffffff", // TW_TS_STAMP -2
			`{"dst":"10.0.0.2","tw_tsval":1,"tw_ts_stamp":-2,"fopen_mss":1460,"fopen_syn_drops":2,"fopen_syn_drop_ts":1000,"fopen_cookie":"0011223344556677"}`,
			"10.0.0.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := schema.Decode(tcpmetrics.Get.Reply, testhex.Decode(t, tt.hex))
			if err != nil {
				t.Fatal(err)
			}
			j, err := v.MarshalJSON()
			if err != nil || string(j) != tt.json {
				t.Errorf("\n got %s (%v)\nwant %s", j, err, tt.json)
			}
			dst, ok, err := v.Get("dst")
			if a, isAddr := dst.(netip.Addr); !ok || err != nil || !isAddr || a.String() != tt.dst {
				t.Errorf("dst reads %v, %v, %v; want %s", dst, ok, err, tt.dst)
			}
			if cmd, _, _ := v.Get("cmd"); cmd != "get" {
				t.Errorf("cmd reads %v", cmd)
			}
		})
	}
}

// TestBadReplies: an address of the wrong length, a short metric and a
// truncated nest are errors when read, never panics.
func TestBadReplies(t *testing.T) {
	tests := []struct {
		name  string
		hex   string
		field string
	}{
		{"5-byte address", "01010000 09000100 0a000002 05000000", "dst"},
		{"u64 in 6 bytes", "01010000 0a000300 01000000 0000 0000", "age"},
		{"u32 metric in 2 bytes", "01010000 0c000680 06000400 0100 0000", "vals.cwnd"},
		{"nest cut short", "01010000 08000680 08000400", "vals.cwnd"},
		{"1-byte source", "01010000 05000b00 01000000", "source"},
		{"IPv6 source of 15 bytes", "01010000 13000c00 20010db8 00000000 00000000 000000 00", "source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := schema.Decode(tcpmetrics.Get.Reply, testhex.Decode(t, tt.hex))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.MarshalJSON(); err != nil {
				t.Fatal(err)
			}
			if err := readErr(v, tt.field); err == nil {
				t.Errorf("%s read without an error", tt.field)
			}
		})
	}
}

// readErr reads the field at a dotted path and returns the error met on
// the way: the field's own, or its nest's.
func readErr(v *schema.View, path string) error {
	head, rest, nested := strings.Cut(path, ".")
	val, _, err := v.Get(head)
	if err != nil || !nested {
		return err
	}
	nest, ok := val.(*schema.View)
	if !ok {
		return nil
	}
	if _, _, err := nest.Get(rest); err != nil {
		return err
	}
	return nest.Err()
}

func FuzzTCPMetricsDecode(f *testing.F) {
	f.Add(uint8(0), []byte{1, 1, 0, 0, 8, 0, 1, 0, 127, 0, 0, 1, 12, 0, 6, 0x80, 8, 0, 4, 0, 16, 0, 0, 0})
	f.Add(uint8(1), []byte{2, 1, 0, 0, 20, 0, 2, 0, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2})
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		// Replies, and requests as a dry run decodes them.
		msgs := []*schema.Message{tcpmetrics.Get.Reply, tcpmetrics.Get.Request, tcpmetrics.Delete.Request, tcpmetrics.Flush.Request}
		m := msgs[int(which)%len(msgs)]
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
