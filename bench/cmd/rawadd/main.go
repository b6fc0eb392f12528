// Command rawadd is the floor for route additions: it adds N /32 routes to
// a table, 256 requests per sendmsg, each with NLM_F_ACK, and checks every
// acknowledgement, over a raw netlink socket.
//
//	rawadd -netns bench -n 10000 -table 100 -oif 2
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
	n := flag.Int("n", 10000, "routes to add")
	table := flag.Uint("table", 100, "routing table")
	oif := flag.Uint("oif", 2, "output interface index")
	base := flag.Uint("base", 11, "first octet of the routes")
	flag.Parse()
	fd, err := rawsock.Open(*netns, unix.NETLINK_CAP_ACK)
	if err != nil {
		log.Fatal(err)
	}
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, 4<<20)
	const msgLen = 16 + 12 + 8 + 8 + 8
	const per = 256
	buf := make([]byte, msgLen*per)
	rbuf := make([]byte, 8192)
	for i := 0; i < *n; i += per {
		k := min(per, *n-i)
		for j := 0; j < k; j++ {
			m := buf[j*msgLen:]
			seq := uint32(i + j + 1)
			binary.NativeEndian.PutUint32(m[0:], msgLen)
			binary.NativeEndian.PutUint16(m[4:], unix.RTM_NEWROUTE)
			binary.NativeEndian.PutUint16(m[6:], unix.NLM_F_REQUEST|unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL)
			binary.NativeEndian.PutUint32(m[8:], seq)
			m[16], m[17], m[20], m[21], m[22], m[23] = unix.AF_INET, 32, unix.RT_TABLE_UNSPEC, unix.RTPROT_STATIC, unix.RT_SCOPE_LINK, unix.RTN_UNICAST
			a := m[28:]
			binary.NativeEndian.PutUint16(a[0:], 8)
			binary.NativeEndian.PutUint16(a[2:], unix.RTA_DST)
			v := i + j
			a[4], a[5], a[6], a[7] = byte(*base), byte(v>>16), byte(v>>8), byte(v)
			binary.NativeEndian.PutUint16(a[8:], 8)
			binary.NativeEndian.PutUint16(a[10:], unix.RTA_TABLE)
			binary.NativeEndian.PutUint32(a[12:], uint32(*table))
			binary.NativeEndian.PutUint16(a[16:], 8)
			binary.NativeEndian.PutUint16(a[18:], unix.RTA_OIF)
			binary.NativeEndian.PutUint32(a[20:], uint32(*oif))
		}
		if _, err := unix.Write(fd, buf[:k*msgLen]); err != nil {
			log.Fatal(err)
		}
		for got := 0; got < k; {
			r, err := unix.Read(fd, rbuf)
			if err != nil {
				log.Fatal(err)
			}
			for off := 0; off+16 <= r; {
				l := int(binary.NativeEndian.Uint32(rbuf[off:]))
				if binary.NativeEndian.Uint16(rbuf[off+4:]) != unix.NLMSG_ERROR || l < 20 {
					log.Fatal("unexpected message")
				}
				if e := int32(binary.NativeEndian.Uint32(rbuf[off+16:])); e != 0 {
					log.Fatalf("route %d: errno %d", binary.NativeEndian.Uint32(rbuf[off+8:]), -e)
				}
				got++
				off += (l + 3) &^ 3
			}
		}
	}
	fmt.Println(*n)
}
