// Command rtnldump dumps one routing table (or every link) with
// github.com/jsimonetti/rtnetlink/v2, for comparison.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

func main() {
	ns := flag.String("netns", "", "named network namespace")
	table := flag.Uint("table", 100, "routing table")
	links := flag.Bool("links", false, "dump links instead of routes")
	flag.Parse()
	f, err := os.Open("/run/netns/" + *ns)
	if err != nil {
		log.Fatal(err)
	}
	c, err := rtnetlink.Dial(&netlink.Config{NetNS: int(f.Fd())})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if *links {
		l, err := c.Link.List()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(l))
		return
	}
	routes, err := c.Route.List()
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, r := range routes {
		if r.Family == unix.AF_INET && r.Attributes.Table == uint32(*table) {
			n++
		}
	}
	fmt.Println(n)
}
