// Command vishadd adds N /32 routes with a loop of
// github.com/vishvananda/netlink Handle.RouteAdd, for comparison.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

func main() {
	ns := flag.String("netns", "", "named network namespace")
	n := flag.Int("n", 10000, "routes to add")
	table := flag.Int("table", 100, "routing table")
	oif := flag.Int("oif", 2, "output interface index")
	base := flag.Int("base", 13, "first octet of the routes")
	flag.Parse()
	h, err := netns.GetFromName(*ns)
	if err != nil {
		log.Fatal(err)
	}
	handle, err := netlink.NewHandleAt(h)
	if err != nil {
		log.Fatal(err)
	}
	for i := range *n {
		dst := &net.IPNet{IP: net.IPv4(byte(*base), byte(i>>16), byte(i>>8), byte(i)), Mask: net.CIDRMask(32, 32)}
		if err := handle.RouteAdd(&netlink.Route{LinkIndex: *oif, Dst: dst, Table: *table, Scope: netlink.SCOPE_LINK}); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(*n)
}
