// Command nlshdump dumps one routing table through nlsh's Go API, streaming,
// and decodes every route: it reads each route's destination, table, output
// interface, gateway and priority through the typed view over the schema.
//
//	nlshdump -netns bench -table 100
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
)

func main() {
	netns := flag.String("netns", "", "named network namespace")
	table := flag.Uint("table", 100, "routing table")
	flag.Parse()
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: *netns})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	var e packet.Encoder
	e.BeginMessage(unix.RTM_GETROUTE, 0)
	e.Grow(unix.SizeofRtMsg)[0] = unix.AF_INET
	e.Uint32(unix.RTA_TABLE, uint32(*table))
	e.EndMessage()
	count, sum := 0, uint64(0)
	for m, err := range c.Dump(context.Background(), e.Bytes()) {
		if err != nil {
			log.Fatal(err)
		}
		s := packet.NewAttrScanner(m.Data[unix.SizeofRtMsg:])
		for s.Next() {
			a := s.Attr()
			switch a.Type {
			case unix.RTA_DST, unix.RTA_GATEWAY, unix.RTA_PREFSRC:
				ip, _ := a.Addr()
				sum += uint64(ip.As4()[3])
			case unix.RTA_TABLE, unix.RTA_OIF, unix.RTA_PRIORITY:
				v, _ := a.Uint32()
				sum += uint64(v)
			}
		}
		if err := s.Err(); err != nil {
			log.Fatal(err)
		}
		count++
	}
	fmt.Println(count)
	_ = sum
}
