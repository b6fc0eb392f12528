// Command nlshadd adds N /32 routes to a table through nlsh's Go API: each
// request encoded from schema fields with objects.Encode, all of them sent
// as one pipelined batch (netlink.Conn.ExecuteBatch), every ACK checked.
//
//	nlshadd -netns bench -n 10000 -table 100 -oif 2
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func main() {
	netns := flag.String("netns", "", "named network namespace")
	n := flag.Int("n", 10000, "routes to add")
	table := flag.Uint("table", 100, "routing table")
	oif := flag.Uint("oif", 2, "output interface index")
	base := flag.Uint("base", 12, "first octet of the routes")
	flag.Parse()
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: *netns})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var e packet.Encoder
	f := schema.Fields{"family": unix.AF_INET, "table": *table, "protocol": "static", "scope": "link", "type": "unicast", "oif": *oif}
	for i := range *n {
		f["dst"] = netip.AddrFrom4([4]byte{byte(*base), byte(i >> 16), byte(i >> 8), byte(i)})
		if err := objects.Encode(&e, route.Route, objects.Add, f); err != nil {
			log.Fatal(err)
		}
	}
	if err := c.ExecuteBatch(context.Background(), e.Bytes(), netlink.BatchOptions{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(*n)
}
