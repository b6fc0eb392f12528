// Command rawgenldump is the floor for generic netlink dump benchmarks: over
// a raw NETLINK_GENERIC socket it resolves a family's id with one
// CTRL_CMD_GETFAMILY, then dumps one of its get commands (by default
// ethtool's ETHTOOL_MSG_LINKINFO_GET) and only counts the replies
// (rawsock.CountDump: one recvmsg per datagram into a fixed buffer and no
// decoding at all).
//
//	rawgenldump -netns bench
//	rawgenldump -netns bench -linkstate   # ETHTOOL_MSG_LINKSTATE_GET
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bench/internal/rawsock"
)

const (
	nlmsgHeaderLen = unix.SizeofNlMsghdr
	genlHeaderLen  = unix.GENL_HDRLEN
)

// request returns a generic netlink request of the given type, flags,
// command and version, followed by attrs (already encoded).
func request(typ, flags uint16, seq uint32, cmd, version uint8, attrs []byte) []byte {
	b := make([]byte, nlmsgHeaderLen+genlHeaderLen, nlmsgHeaderLen+genlHeaderLen+len(attrs))
	b = append(b, attrs...)
	binary.NativeEndian.PutUint32(b[0:], uint32(len(b)))
	binary.NativeEndian.PutUint16(b[4:], typ)
	binary.NativeEndian.PutUint16(b[6:], flags)
	binary.NativeEndian.PutUint32(b[8:], seq)
	b[16], b[17] = cmd, version
	return b
}

// familyID asks the controller for the id of the family called name and
// reads CTRL_ATTR_FAMILY_ID out of its answer.
func familyID(fd int, buf []byte, name string) uint16 {
	value := append([]byte(name), 0)
	attr := make([]byte, unix.NLA_HDRLEN, unix.NLA_HDRLEN+len(value)+3)
	binary.NativeEndian.PutUint16(attr[0:], uint16(unix.NLA_HDRLEN+len(value)))
	binary.NativeEndian.PutUint16(attr[2:], unix.CTRL_ATTR_FAMILY_NAME)
	attr = append(attr, value...)
	for len(attr)%4 != 0 {
		attr = append(attr, 0)
	}
	if _, err := unix.Write(fd, request(unix.GENL_ID_CTRL, unix.NLM_F_REQUEST, 1, unix.CTRL_CMD_GETFAMILY, 2, attr)); err != nil {
		log.Fatal(err)
	}
	n, err := unix.Read(fd, buf)
	if err != nil {
		log.Fatal(err)
	}
	if n < nlmsgHeaderLen+genlHeaderLen || binary.NativeEndian.Uint16(buf[4:]) != unix.GENL_ID_CTRL {
		log.Fatalf("family %s: no such family (or a short answer)", name)
	}
	end := min(n, int(binary.NativeEndian.Uint32(buf[0:])))
	for off := nlmsgHeaderLen + genlHeaderLen; off+unix.NLA_HDRLEN <= end; {
		l := int(binary.NativeEndian.Uint16(buf[off:]))
		typ := binary.NativeEndian.Uint16(buf[off+2:]) &^ (unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER)
		if l < unix.NLA_HDRLEN || off+l > end {
			break
		}
		if typ == unix.CTRL_ATTR_FAMILY_ID && l == unix.NLA_HDRLEN+2 {
			return binary.NativeEndian.Uint16(buf[off+unix.NLA_HDRLEN:])
		}
		off += (l + 3) &^ 3
	}
	log.Fatalf("family %s: no CTRL_ATTR_FAMILY_ID in the answer", name)
	return 0
}

func main() {
	netns := flag.String("netns", "", "named network namespace")
	family := flag.String("family", unix.ETHTOOL_GENL_NAME, "generic netlink family")
	version := flag.Uint("version", unix.ETHTOOL_GENL_VERSION, "the family's version")
	cmd := flag.Uint("cmd", unix.ETHTOOL_MSG_LINKINFO_GET, "the get command to dump")
	linkstate := flag.Bool("linkstate", false, "dump ETHTOOL_MSG_LINKSTATE_GET (-cmd 6)")
	flag.Parse()
	if *linkstate {
		*cmd = unix.ETHTOOL_MSG_LINKSTATE_GET
	}
	fd, err := rawsock.OpenProtocol(*netns, unix.NETLINK_GENERIC)
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 1<<16)
	id := familyID(fd, buf, *family)
	if _, err := unix.Write(fd, request(id, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, 2, uint8(*cmd), uint8(*version), nil)); err != nil {
		log.Fatal(err)
	}
	count, err := rawsock.CountDump(fd, buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(count)
}
