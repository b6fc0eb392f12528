package tcpmetrics_test

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tcpmetrics"
)

// A get request for one destination, and the entry the kernel answers
// with, read as ip tcp_metrics prints it. The family id (here 0x1b) is
// the kernel's to give; netlink/genetlink resolves it.
func Example() {
	var e packet.Encoder
	err := tcpmetrics.Get.Request.Encode(&e, 0x1b, unix.NLM_F_REQUEST, schema.Fields{
		"cmd": tcpmetrics.Get.Cmd, "version": tcpmetrics.FamilyVersion, "address": "2001:db8::2",
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("request: %d bytes, the address as TCP_METRICS_ATTR_ADDR_IPV6\n", len(e.Bytes()))

	// The reply's payload: genlmsghdr, then the entry's attributes.
	reply := packet.NewEncoder(nil)
	reply.Append([]byte{1, 1, 0, 0})
	reply.Attr(2, []byte{0x20, 0x01, 0x0d, 0xb8, 14: 0, 15: 2}) // ADDR_IPV6
	reply.Uint64(3, 1500)                                       // AGE, ms
	vals := reply.BeginNested(6)                                // VALS
	reply.Uint32(4, 10)                                         // cwnd
	reply.Uint32(6, 8*250)                                      // rtt_us: 250us, times 8
	reply.EndNested(vals)
	v, err := schema.Decode(tcpmetrics.Get.Reply, reply.Bytes())
	if err != nil {
		panic(err)
	}
	dst, _, _ := v.Get("dst")
	age, _, _ := v.Get("age")
	m, _, _ := v.Get("vals")
	cwnd, _, _ := m.(*schema.View).Get("cwnd")
	rtt, _, _ := m.(*schema.View).Get("rtt_us")
	fmt.Printf("%v age %.3fsec cwnd %v rtt %vus\n", dst, float64(age.(uint64))/1000, cwnd, rtt.(uint64)>>3)
	// Output:
	// request: 40 bytes, the address as TCP_METRICS_ATTR_ADDR_IPV6
	// 2001:db8::2 age 1.500sec cwnd 10 rtt 250us
}
