// Command nlshethtool dumps ethtool's link information (or link state) of
// every device through nlsh's Go API — genetlink.Client.Stream over the
// ethtool family's schema, one reused View, as nlshdump streams routes —
// and reads from each reply, through its View, the device's name in the
// header nest and the port (or link detected).
//
//	nlshethtool -netns bench
//	nlshethtool -netns bench -linkstate
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

func main() {
	netns := flag.String("netns", "", "named network namespace")
	linkstate := flag.Bool("linkstate", false, "dump link state instead of link information")
	flag.Parse()
	c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: *netns})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	op, field := ethtool.LinkInfo, "port"
	if *linkstate {
		op, field = ethtool.LinkState, "link"
	}
	sum, n := 0, 0
	for v, err := range genetlink.NewClient(c, nil).Stream(context.Background(), ethtool.Family, op, nil) {
		if err != nil {
			log.Fatal(err)
		}
		h, ok, err := v.Get("header")
		if err != nil || !ok {
			log.Fatalf("reply without a header: %v", err)
		}
		name, _, err := h.(*schema.View).Get("dev_name")
		if err != nil {
			log.Fatal(err)
		}
		val, _, err := v.Get(field)
		if err != nil {
			log.Fatal(err)
		}
		sum += len(name.(string))
		if val != nil {
			sum++
		}
		n++
	}
	fmt.Println(n)
	_ = sum
}
