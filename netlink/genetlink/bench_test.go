package genetlink_test

import (
	"context"
	"encoding/hex"
	"errors"
	"iter"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// ethtoolFamilyID is the id the controller gave ethtool on the machine the
// reply below was captured on.
const ethtoolFamilyID = 21

// capturedChannelsReply is the payload (genlmsghdr and attributes) of the
// kernel's ETHTOOL_MSG_CHANNELS_GET_REPLY for a veth "a7" with ifindex 17,
// captured on Linux 6.18: header {dev_index 17, dev_name "a7"}, rx_max 2,
// rx_count 1, tx_max 2, tx_count 1, in the kernel's order.
const capturedChannelsReply = "12010000" +
	"14000180" + "0800010011000000" + "0700020061370000" +
	"0800020002000000" + "0800060001000000" + "0800030002000000" + "0800070001000000"

// ethtoolClient returns a Client whose Resolver has resolved ethtool (to
// ethtoolFamilyID) from a fake controller answer, so that only the cached
// path is measured.
func ethtoolClient(tb testing.TB) *genetlink.Client {
	tb.Helper()
	e := packet.NewEncoder(nil)
	e.Append([]byte{unix.CTRL_CMD_NEWFAMILY, 2, 0, 0})
	e.Uint16(unix.CTRL_ATTR_FAMILY_ID, ethtoolFamilyID)
	e.String(unix.CTRL_ATTR_FAMILY_NAME, unix.ETHTOOL_GENL_NAME)
	e.Uint32(unix.CTRL_ATTR_VERSION, unix.ETHTOOL_GENL_VERSION)
	c := genetlink.NewClient(fakeConn{reply: e.Bytes()}, nil)
	if f, err := c.Resolver().Family(context.Background(), unix.ETHTOOL_GENL_NAME); err != nil || f.ID != ethtoolFamilyID {
		tb.Fatalf("resolving ethtool from the fake answer: %v, %v", f, err)
	}
	return c
}

// BenchmarkEncodeChannels encodes `ethtool -l a7`'s request through the
// Client, with the family's id already cached.
func BenchmarkEncodeChannels(b *testing.B) {
	c := ethtoolClient(b)
	ctx := context.Background()
	fields := schema.Fields{"header": schema.Fields{"dev_name": "a7"}}
	want := "20000000" + "1500" + "0000" + "00000000" + "00000000" + "11010000" + "0c000180" + "0700020061370000"
	req, err := c.Encode(ctx, ethtool.Family, ethtool.Channels, 0, fields)
	if err != nil || hex.EncodeToString(req) != want {
		b.Fatalf("request %x (%v), want %s", req, err, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(ctx, ethtool.Family, ethtool.Channels, 0, fields); err != nil {
			b.Fatal(err)
		}
	}
}

// channelsFields are the fields of a channels reply a reader would print,
// header nest first; readChannels reads them all and checks the captured
// values, so that a decoder that skips work cannot pass.
var channelsFields = []string{"rx_max", "tx_max", "other_max", "combined_max", "rx_count", "tx_count", "other_count", "combined_count"}

func readChannels(b *testing.B, v *schema.View) {
	h, ok, err := v.Get("header")
	if !ok || err != nil {
		b.Fatalf("header: %v, %v", ok, err)
	}
	hv := h.(*schema.View)
	index, _, err1 := hv.Get("dev_index")
	name, _, err2 := hv.Get("dev_name")
	if index != uint64(17) || name != "a7" || err1 != nil || err2 != nil {
		b.Fatalf("header = %v %v (%v, %v)", index, name, err1, err2)
	}
	var sum uint64
	for _, f := range channelsFields {
		val, ok, err := v.Get(f)
		if err != nil {
			b.Fatal(err)
		}
		if ok {
			sum += val.(uint64)
		}
	}
	if sum != 6 {
		b.Fatalf("channel counts and maximums add up to %d, want 6", sum)
	}
}

// BenchmarkDecodeChannels decodes a captured channels reply and reads every
// field the operation declares.
func BenchmarkDecodeChannels(b *testing.B) {
	payload, err := hex.DecodeString(capturedChannelsReply)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		v, err := schema.Decode(ethtool.Channels.Reply, payload)
		if err != nil {
			b.Fatal(err)
		}
		readChannels(b, v)
	}
}

// BenchmarkDumpChannels runs Client.Dump over a fake socket that answers
// with 2000 copies of the captured reply, as a dump of 2000 devices would,
// and reports the cost per reply (without reading fields): what the Client
// adds to each message it hands out.
func BenchmarkDumpChannels(b *testing.B) {
	d := channelsDumpClient(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		views, err := d.Dump(ctx, ethtool.Family, ethtool.Channels, nil)
		if err != nil || len(views) != replies {
			b.Fatalf("%d views, %v", len(views), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*replies), "ns/reply")
}

// BenchmarkStreamChannels is BenchmarkDumpChannels through Stream: one
// View, reused, and no copy of any reply.
func BenchmarkStreamChannels(b *testing.B) {
	d := channelsDumpClient(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range d.Stream(ctx, ethtool.Family, ethtool.Channels, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != replies {
			b.Fatalf("%d replies", n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*replies), "ns/reply")
}

// replies is how many devices the dump benchmarks' fake socket answers for.
const replies = 2000

// channelsDumpClient returns a Client whose socket answers a dump with
// replies copies of the captured channels reply.
func channelsDumpClient(b *testing.B) *genetlink.Client {
	payload, err := hex.DecodeString(capturedChannelsReply)
	if err != nil {
		b.Fatal(err)
	}
	return genetlink.NewClient(dumpConn{reply: payload, n: replies}, ethtoolClient(b).Resolver())
}

// dumpConn answers a dump with n copies of one reply, each handed out in
// the same buffer, as a socket's receive buffer is reused.
type dumpConn struct {
	reply []byte
	n     int
}

func (c dumpConn) Execute(context.Context, []byte) ([]packet.Message, error) {
	return nil, errors.New("dumpConn only dumps")
}

func (c dumpConn) Dump(context.Context, []byte, ...netlink.DumpOption) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
		for range c.n {
			if !yield(packet.Message{Header: unix.NlMsghdr{Type: ethtoolFamilyID}, Data: c.reply}, nil) {
				return
			}
		}
	}
}
