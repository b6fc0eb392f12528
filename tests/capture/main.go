// Command capture records real kernel netlink exchanges as hex fixtures for
// the packet tests. It must run as root; it makes a private network
// namespace of its own, so it never touches the caller's.
//
//	go run ./tests/capture -out packet/testdata
//
// Each fixture is a .hex file: the request sent (NAME.req.hex) and the
// datagram the kernel answered with (NAME.hex), one hex line per message.
package main

import (
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

func main() {
	out := flag.String("out", "packet/testdata", "directory for the fixtures")
	flag.Parse()
	runtime.LockOSThread() // the whole capture runs in the private namespace
	if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
		log.Fatalf("unshare: %v", err)
	}
	run("ip", "link", "set", "lo", "up")
	run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	run("ip", "link", "set", "v0", "up")
	run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")

	for _, c := range captures() {
		req, reply := exchange(c.proto, c.capAck, c.req)
		write(*out, c.name+".req.hex", req)
		write(*out, c.name+".hex", reply)
		log.Printf("%s: %d request bytes, %d reply bytes", c.name, len(req), len(reply))
	}
}

type capture struct {
	name   string
	proto  int
	capAck bool
	req    []byte
}

func captures() []capture {
	var cs []capture
	e := func(typ, flags uint16, fill func(e *packet.Encoder)) []byte {
		var enc packet.Encoder
		enc.BeginMessage(typ, flags|unix.NLM_F_REQUEST)
		fill(&enc)
		enc.EndMessage()
		packet.SetSeq(enc.Bytes(), 1)
		return enc.Bytes()
	}
	rtmsg := func(family, dstLen byte) []byte {
		b := make([]byte, unix.SizeofRtMsg)
		b[0], b[1] = family, dstLen
		b[4], b[5], b[6], b[7] = unix.RT_TABLE_MAIN, unix.RTPROT_BOOT, unix.RT_SCOPE_UNIVERSE, unix.RTN_UNICAST
		return b
	}
	// A dump of the links: lo and the veth pair.
	cs = append(cs, capture{"link_dump", unix.NETLINK_ROUTE, true, e(unix.RTM_GETLINK, unix.NLM_F_DUMP, func(e *packet.Encoder) {
		e.Append(make([]byte, unix.SizeofIfInfomsg))
	})})
	// A dump of the main table's IPv4 routes.
	cs = append(cs, capture{"route_dump", unix.NETLINK_ROUTE, true, e(unix.RTM_GETROUTE, unix.NLM_F_DUMP, func(e *packet.Encoder) {
		e.Append(rtmsg(unix.AF_INET, 0))
	})})
	// An error with a message and no offset: prefix length 40 for IPv4.
	cs = append(cs, capture{"err_prefixlen", unix.NETLINK_ROUTE, true, e(unix.RTM_NEWROUTE, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		e.Append(rtmsg(unix.AF_INET, 40))
		e.Addr(unix.RTA_DST, netip.MustParseAddr("10.1.0.0"))
	})})
	// The same, uncapped: the kernel echoes the whole request.
	cs = append(cs, capture{"err_prefixlen_uncapped", unix.NETLINK_ROUTE, false, cs[len(cs)-1].req})
	// A policy violation: a 3-byte IFA_LOCAL. The kernel sends the offset
	// of the attribute and its policy.
	cs = append(cs, capture{"err_policy", unix.NETLINK_ROUTE, true, e(unix.RTM_NEWADDR, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		ifa := make([]byte, unix.SizeofIfAddrmsg)
		ifa[0], ifa[1] = unix.AF_INET, 24
		binary.NativeEndian.PutUint32(ifa[4:], 1)
		e.Append(ifa)
		e.Attr(unix.IFA_ADDRESS, []byte{10, 9, 0, 1})
		e.Attr(unix.IFA_LOCAL, []byte{10, 9, 0})
	})})
	// A plain acknowledgement.
	cs = append(cs, capture{"ack", unix.NETLINK_ROUTE, true, e(unix.RTM_NEWADDR, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		ifa := make([]byte, unix.SizeofIfAddrmsg)
		ifa[0], ifa[1] = unix.AF_INET, 24
		binary.NativeEndian.PutUint32(ifa[4:], 1)
		e.Append(ifa)
		e.Attr(unix.IFA_LOCAL, []byte{10, 9, 0, 1})
		e.Attr(unix.IFA_ADDRESS, []byte{10, 9, 0, 1})
	})})
	// A missing required attribute inside a nest: a route whose
	// RTA_MULTIPATH hop is too short is refused with an offset into the
	// nest (nested attribute path).
	cs = append(cs, capture{"err_nested", unix.NETLINK_ROUTE, true, e(unix.RTM_NEWROUTE, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		e.Append(rtmsg(unix.AF_INET, 24))
		e.Addr(unix.RTA_DST, netip.MustParseAddr("10.5.0.0"))
		n := e.BeginNested(unix.RTA_METRICS)
		e.Uint32(unix.RTAX_MTU, 1400)
		e.Attr(unix.RTAX_CC_ALGO, []byte("no-such-cc\x00"))
		e.EndNested(n)
		e.Uint32(unix.RTA_OIF, 2)
	})})
	// netdev's dev-get without its required ifindex: the kernel reports the
	// missing attribute type (NLMSGERR_ATTR_MISS_TYPE).
	if id, ok := genlFamily("netdev"); ok {
		cs = append(cs, capture{"err_miss_type", unix.NETLINK_GENERIC, true, e(id, unix.NLM_F_ACK, func(e *packet.Encoder) {
			e.Append([]byte{1 /* NETDEV_CMD_DEV_GET */, 1, 0, 0})
		})})
	}
	return cs
}

// exchange sends req on a fresh socket and returns the request as sent and
// the first datagram of the reply.
func exchange(proto int, capAck bool, req []byte) ([]byte, []byte) {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		log.Fatalf("socket: %v", err)
	}
	defer unix.Close(fd)
	_ = unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1)
	if capAck {
		_ = unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_CAP_ACK, 1)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		log.Fatalf("bind: %v", err)
	}
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		log.Fatalf("send: %v", err)
	}
	buf := make([]byte, 1<<16)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		log.Fatalf("recv: %v", err)
	}
	return req, buf[:n]
}

// genlFamily resolves a generic netlink family's id with
// CTRL_CMD_GETFAMILY.
func genlFamily(name string) (uint16, bool) {
	var e packet.Encoder
	e.BeginMessage(unix.GENL_ID_CTRL, unix.NLM_F_REQUEST)
	e.Append([]byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0})
	e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
	e.EndMessage()
	_, reply := exchange(unix.NETLINK_GENERIC, true, e.Bytes())
	msgs, err := packet.ParseMessages(reply)
	if err != nil || len(msgs) == 0 || msgs[0].Header.Type != unix.GENL_ID_CTRL {
		return 0, false
	}
	s := packet.NewAttrScanner(msgs[0].Data[4:])
	for s.Next() {
		if s.Attr().Type == unix.CTRL_ATTR_FAMILY_ID {
			id, err := s.Attr().Uint16()
			return id, err == nil
		}
	}
	return 0, false
}

func write(dir, name string, b []byte) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# captured by tests/capture on Linux %s\n", kernel())
	s := packet.NewMessageScanner(b)
	prev := 0
	for s.Next() {
		sb.WriteString(hex.EncodeToString(b[prev:s.Offset()]) + "\n")
		prev = s.Offset()
	}
	if prev < len(b) {
		sb.WriteString(hex.EncodeToString(b[prev:]) + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(sb.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

func kernel() string {
	var u unix.Utsname
	_ = unix.Uname(&u)
	return unix.ByteSliceToString(u.Release[:])
}

func run(name string, args ...string) {
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		log.Fatalf("%s %v: %v: %s", name, args, err, out)
	}
}
