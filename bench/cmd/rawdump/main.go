// Command rawdump is the floor for dump benchmarks: it asks for one routing
// table (or every link) over a raw netlink socket and only counts the
// messages, with one recvmsg per datagram into a fixed buffer and no
// decoding at all.
//
//	rawdump -netns bench -table 100
//	rawdump -netns bench -links
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bench/internal/rawsock"
)

func main() {
	netns := flag.String("netns", "", "named network namespace")
	table := flag.Uint("table", 100, "routing table")
	links := flag.Bool("links", false, "dump links instead of routes")
	flag.Parse()
	fd, err := rawsock.Open(*netns, unix.NETLINK_GET_STRICT_CHK)
	if err != nil {
		log.Fatal(err)
	}
	req := make([]byte, 16+12+8)
	binary.NativeEndian.PutUint32(req[0:], uint32(len(req)))
	binary.NativeEndian.PutUint16(req[4:], unix.RTM_GETROUTE)
	binary.NativeEndian.PutUint16(req[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	binary.NativeEndian.PutUint32(req[8:], 1)
	req[16] = unix.AF_INET
	binary.NativeEndian.PutUint16(req[28:], 8)
	binary.NativeEndian.PutUint16(req[30:], unix.RTA_TABLE)
	binary.NativeEndian.PutUint32(req[32:], uint32(*table))
	if *links {
		req = make([]byte, 16+16)
		binary.NativeEndian.PutUint32(req[0:], uint32(len(req)))
		binary.NativeEndian.PutUint16(req[4:], unix.RTM_GETLINK)
		binary.NativeEndian.PutUint16(req[6:], unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
		binary.NativeEndian.PutUint32(req[8:], 1)
	}
	if _, err := unix.Write(fd, req); err != nil {
		log.Fatal(err)
	}
	count, err := rawsock.CountDump(fd, make([]byte, 1<<16))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(count)
}
