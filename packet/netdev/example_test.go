package netdev_test

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/netdev"
	"github.com/nlsh/nlsh/packet/schema"
)

// A dump of one device's queues, and one queue of the answer. The family
// id (here 0x14) is the kernel's to give; netlink/genetlink resolves it.
func Example() {
	var e packet.Encoder
	err := netdev.Queue.Request.Encode(&e, 0x14, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, schema.Fields{
		"cmd": netdev.Queue.Cmd, "version": netdev.FamilyVersion, "ifindex": 3,
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("request: %d bytes\n", len(e.Bytes()))

	// One reply's payload: genlmsghdr, then the queue's attributes.
	reply := packet.NewEncoder(nil)
	reply.Append([]byte{netdev.Queue.Cmd, 1, 0, 0})
	reply.Uint32(1, 0)   // NETDEV_A_QUEUE_ID
	reply.Uint32(2, 3)   // NETDEV_A_QUEUE_IFINDEX
	reply.Uint32(3, 0)   // NETDEV_A_QUEUE_TYPE: rx
	reply.Uint32(4, 258) // NETDEV_A_QUEUE_NAPI_ID
	v, err := schema.Decode(netdev.Queue.Reply, reply.Bytes())
	if err != nil {
		panic(err)
	}
	j, _ := v.MarshalJSON()
	fmt.Println(string(j))
	// Output:
	// request: 28 bytes
	// {"id":0,"ifindex":3,"type":"rx","napi_id":258}
}
