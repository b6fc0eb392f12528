// Command mdlethtool dumps ethtool's link information (or link state) of
// every device with github.com/mdlayher/ethtool, for comparison.
//
//	mdlethtool -netns bench
//	mdlethtool -netns bench -linkstate
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/mdlayher/ethtool"

	"github.com/nlsh/nlsh/bench/internal/rawsock"
)

func main() {
	netns := flag.String("netns", "", "named network namespace")
	linkstate := flag.Bool("linkstate", false, "dump link state instead of link information")
	flag.Parse()
	// The library takes no namespace: its socket is opened on this thread,
	// after the thread has entered the namespace.
	if err := rawsock.EnterNetNS(*netns); err != nil {
		log.Fatal(err)
	}
	c, err := ethtool.New()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if *linkstate {
		states, err := c.LinkStates()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(states))
		return
	}
	infos, err := c.LinkInfos()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(infos))
}
