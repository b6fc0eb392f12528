package mptcp_test

import (
	"fmt"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// An endpoint as `ip mptcp endpoint add 2001:db8::1 id 4 subflow backup`
// sends it: the family follows from the address, which goes out as addr6.
func ExampleFillFamily() {
	addr := schema.Fields{"address": "2001:db8::1", "id": 4, "flags": []string{"subflow", "backup"}}
	if err := mptcp.FillFamily(addr); err != nil {
		panic(err)
	}
	var e packet.Encoder
	f := schema.Fields{"cmd": mptcp.AddEndpoint.Cmd, "version": mptcp.Family.Version, "addr": addr}
	if err := mptcp.AddEndpoint.Request.Encode(&e, 0x15, 0, f); err != nil {
		panic(err)
	}
	v, err := schema.Decode(mptcp.AddEndpoint.Request, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		panic(err)
	}
	j, _ := v.MarshalJSON()
	fmt.Println(addr["family"])
	fmt.Println(string(j))
	// Output:
	// inet6
	// {"addr":{"family":"inet6","id":4,"address":"2001:db8::1","flags":["subflow","backup"]}}
}

// A notification of the events group, as the kernel sends it when a
// client at 127.0.0.1:50792 connects to 127.0.0.1:56183: the command
// names the event, and the event's message reads its fields.
func ExampleEvents() {
	msg := []byte{
		1, 1, 0, 0, // genlmsghdr: MPTCP_EVENT_CREATED, version 1
		8, 0, 1, 0, 0x01, 0x62, 0x83, 0x4c, // token
		6, 0, 2, 0, 2, 0, 0, 0, // family AF_INET
		8, 0, 5, 0, 127, 0, 0, 1, // saddr4
		8, 0, 7, 0, 127, 0, 0, 1, // daddr4
		6, 0, 9, 0, 0xc6, 0x68, 0, 0, // sport, big-endian
		6, 0, 10, 0, 0xdb, 0x77, 0, 0, // dport
	}
	ev := mptcp.Family.Event(msg[0])
	v, err := schema.Decode(ev.Message, msg)
	if err != nil {
		panic(err)
	}
	j, _ := v.MarshalJSON()
	fmt.Println(ev.Name, string(j))
	// Output:
	// created {"token":1283678721,"family":"inet","saddr":"127.0.0.1","daddr":"127.0.0.1","sport":50792,"dport":56183}
}

// The userspace path manager's request to open a subflow of the
// connection whose token is 0x4c836201, from 10.0.1.1 (id 2) to the
// peer's 10.0.0.2 port 443, as a dry run decodes it.
func ExampleAddSubflow() {
	f := schema.Fields{"cmd": mptcp.AddSubflow.Cmd, "version": mptcp.Family.Version, "token": 0x4c836201,
		"addr":        schema.Fields{"family": "inet", "address": "10.0.1.1", "id": 2},
		"addr_remote": schema.Fields{"family": "inet", "address": "10.0.0.2", "port": 443},
	}
	var e packet.Encoder
	if err := mptcp.AddSubflow.Request.Encode(&e, 0x15, 0, f); err != nil {
		panic(err)
	}
	v, err := schema.Decode(mptcp.AddSubflow.Request, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		panic(err)
	}
	j, _ := v.MarshalJSON()
	fmt.Println(string(j))
	// Output:
	// {"addr":{"family":"inet","id":2,"address":"10.0.1.1"},"token":1283678721,"addr_remote":{"family":"inet","address":"10.0.0.2","port":443}}
}
