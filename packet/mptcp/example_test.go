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
