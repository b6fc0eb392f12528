// Command nlshdump dumps one routing table (or every link) through nlsh's
// Go API — netlink/objects over the route family's schema — streaming, and
// decodes every object: for routes, destination, table, output interface,
// gateway and priority through route.RouteView.
//
//	nlshdump -netns bench -table 100
//	nlshdump -netns bench -links
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func main() {
	netns := flag.String("netns", "", "named network namespace")
	table := flag.Uint("table", 100, "routing table")
	links := flag.Bool("links", false, "dump links instead of routes")
	flag.Parse()
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: *netns})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	client := objects.New(c, route.Family)
	ctx := context.Background()
	count, sum := 0, uint64(0)
	if *links {
		for v, err := range client.Dump(ctx, route.Link, nil) {
			if err != nil {
				log.Fatal(err)
			}
			l := route.LinkOf(v)
			sum += uint64(l.Index()) + uint64(l.MTU()) + uint64(len(l.Name())) + uint64(l.OperState())
			count++
		}
	} else {
		for v, err := range client.Dump(ctx, route.Route, schema.Fields{"family": unix.AF_INET, "table": *table}) {
			if err != nil {
				log.Fatal(err)
			}
			r := route.RouteOf(v)
			d := r.Dst()
			sum += uint64(d.Bits()) + uint64(r.Table()) + uint64(r.OIF()) + uint64(r.Priority())
			if r.Gateway().IsValid() {
				sum++
			}
			count++
		}
	}
	fmt.Println(count)
	_ = sum
}
