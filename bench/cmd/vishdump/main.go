// Command vishdump dumps one routing table (or every link) with
// github.com/vishvananda/netlink, for comparison.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

func main() {
	ns := flag.String("netns", "", "named network namespace")
	table := flag.Int("table", 100, "routing table")
	links := flag.Bool("links", false, "dump links instead of routes")
	flag.Parse()
	h, err := netns.GetFromName(*ns)
	if err != nil {
		log.Fatal(err)
	}
	handle, err := netlink.NewHandleAt(h)
	if err != nil {
		log.Fatal(err)
	}
	if *links {
		l, err := handle.LinkList()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(l))
		return
	}
	routes, err := handle.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: *table}, netlink.RT_FILTER_TABLE)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(routes))
}
