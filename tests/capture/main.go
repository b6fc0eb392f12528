// Command capture records real kernel netlink exchanges as hex fixtures for
// the tests of package packet.
//
// It must run as root. It never touches the caller's network: it re-executes
// itself under `unshare --net`, checks that it landed in a namespace of its
// own that holds nothing but lo, builds a small topology there with ip(8)
// and talks to the kernel with raw socket, bind, sendto and recvfrom calls.
// The namespace disappears with the process.
//
//	go run ./tests/capture -out packet/testdata     # write every fixture
//	go run ./tests/capture -out ''                  # only print what the kernel said
//	go run ./tests/capture -out packet/testdata err_policy route_dump
//
// Each fixture NAME is two files: NAME.req.hex, the request as sent, and
// NAME.hex, every datagram the kernel answered with up to the end of the
// exchange (the NLMSG_ERROR, or the NLMSG_DONE of a dump). Both hold one hex
// line per netlink message; lines starting with # are comments, and a
// "# datagram N" comment starts each datagram of a reply.
package main

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// childEnv carries the parent's network namespace to the re-executed child,
// which refuses to run in that same namespace.
const childEnv = "NLSH_CAPTURE_PARENT_NETNS"

// Generic netlink numbers that golang.org/x/sys/unix does not define.
const (
	// include/uapi/linux/netdev.h
	netdevCmdDevGet = 1

	// include/uapi/linux/ethtool_netlink_generated.h
	ethtoolATSHwtstampProviderQualifier = 2
)

func main() {
	log.SetFlags(0)
	out := flag.String("out", "packet/testdata", "directory for the fixtures; empty to write nothing")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: capture [-out dir] [fixture ...]\n\nfixtures:\n")
		for _, c := range captures() {
			fmt.Fprintf(os.Stderr, "  %-24s %s\n", c.name, c.doc)
		}
	}
	flag.Parse()

	if os.Getenv(childEnv) == "" {
		reexec()
		return
	}
	checkPrivate()
	setup()

	want := flag.Args()
	for _, c := range captures() {
		if len(want) > 0 && !slices.Contains(want, c.name) {
			continue
		}
		req := c.req()
		if req == nil {
			log.Printf("%s: skipped, this kernel lacks what it needs", c.name)
			continue
		}
		packet.SetSeq(req, 1)
		reply := exchange(c.proto, c.opts, req)
		describe(c.name, reply)
		if *out == "" {
			continue
		}
		write(*out, c.name+".req.hex", c.doc, [][]byte{req})
		write(*out, c.name+".hex", c.doc, reply)
	}
}

// reexec runs this program again in a new network namespace and exits with
// its status.
func reexec() {
	self, err := os.Executable()
	if err != nil {
		log.Fatal(err)
	}
	cmd := exec.Command("unshare", append([]string{"--net", "--", self}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), childEnv+"="+netnsID())
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			os.Exit(exit.ExitCode())
		}
		log.Fatalf("unshare --net: %v", err)
	}
}

// netnsID identifies the network namespace this process is in.
func netnsID() string {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/ns/net", &st); err != nil {
		log.Fatal(err)
	}
	return fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}

// checkPrivate stops the program unless it runs in a namespace other than
// its parent's, with no interface but lo: a fresh one.
func checkPrivate() {
	if id := netnsID(); id == os.Getenv(childEnv) {
		log.Fatalf("still in the parent's network namespace %s; refusing to run", id)
	}
	ifs, err := net.Interfaces()
	if err != nil {
		log.Fatal(err)
	}
	if len(ifs) != 1 || ifs[0].Name != "lo" {
		log.Fatalf("the namespace is not fresh (%d interfaces); refusing to run", len(ifs))
	}
}

// setup builds the topology the fixtures describe: lo up, a veth pair v0/v1
// with fixed MAC addresses and IP addresses, and a few dozen IPv4 routes of
// every shape (plain, with a gateway, with metrics, multipath, blackhole)
// for the route dump.
func setup() {
	// No IPv6 link-local addresses: their local routes would appear in the
	// dumps or not depending on how fast duplicate address detection
	// finishes. This sysctl belongs to the private namespace.
	if err := os.WriteFile("/proc/sys/net/ipv6/conf/default/addr_gen_mode", []byte("1\n"), 0); err != nil {
		log.Fatal(err)
	}
	run("ip", "link", "set", "lo", "up")
	// Fixed MAC addresses, so that every capture gives the same bytes.
	run("ip", "link", "add", "v0", "address", "02:00:00:00:00:01", "type", "veth", "peer", "name", "v1", "address", "02:00:00:00:00:02")
	run("ip", "link", "set", "v0", "up")
	run("ip", "link", "set", "v1", "up")
	run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
	run("ip", "-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	for i := 1; i <= 32; i++ {
		run("ip", "route", "add", fmt.Sprintf("10.1.%d.0/24", i), "via", "10.0.0.2", "dev", "v0")
	}
	run("ip", "route", "add", "10.2.0.0/16", "via", "10.0.0.2", "mtu", "1400", "advmss", "1360", "congctl", "cubic")
	run("ip", "route", "add", "10.3.0.0/16", "nexthop", "via", "10.0.0.2", "weight", "1", "nexthop", "via", "10.0.0.3", "weight", "2")
	run("ip", "route", "add", "blackhole", "10.4.0.0/16")
	run("ip", "-6", "route", "add", "2001:db8:1::/48", "via", "2001:db8::2", "dev", "v0")
}

// Socket options of one exchange.
type opts struct {
	capAck bool // NETLINK_CAP_ACK: echo only the request's header in errors
	strict bool // NETLINK_GET_STRICT_CHK: validate dump requests strictly
}

type capture struct {
	name  string
	doc   string
	proto int
	opts  opts
	req   func() []byte // nil result: skip
}

var (
	capped   = opts{capAck: true}
	uncapped = opts{}
)

func captures() []capture {
	return []capture{
		{"link_dump", "RTM_GETLINK dump: lo, v1, v0, NLMSG_DONE", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_GETLINK, unix.NLM_F_DUMP, func(e *packet.Encoder) {
				e.Grow(unix.SizeofIfInfomsg)
			})
		}},
		{"route_dump", "RTM_GETROUTE dump, AF_INET, every table, NLMSG_DONE", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_GETROUTE, unix.NLM_F_DUMP, func(e *packet.Encoder) {
				e.Append(rtmsg(unix.AF_INET, 0, 0))
			})
		}},
		{"route6_dump", "RTM_GETROUTE dump, AF_INET6, NLMSG_DONE", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_GETROUTE, unix.NLM_F_DUMP, func(e *packet.Encoder) {
				e.Append(rtmsg(unix.AF_INET6, 0, 0))
			})
		}},
		{"dump_err_strict", "strictly checked RTM_GETROUTE dump with rtm_dst_len 8: the error arrives in NLMSG_DONE", unix.NETLINK_ROUTE, opts{capAck: true, strict: true}, func() []byte {
			return msg(unix.RTM_GETROUTE, unix.NLM_F_DUMP, func(e *packet.Encoder) {
				e.Append(rtmsg(unix.AF_INET, 8, 0))
			})
		}},
		{"ack", "RTM_NEWADDR 10.9.0.1/24 on lo that succeeds: errno 0", unix.NETLINK_ROUTE, capped, func() []byte {
			return newAddr(10, 9, 0, 1)
		}},
		{"ack_uncapped", "RTM_NEWADDR 10.9.1.1/24 on lo without NETLINK_CAP_ACK: an ACK is capped all the same", unix.NETLINK_ROUTE, uncapped, func() []byte {
			return newAddr(10, 9, 1, 1)
		}},
		{"err_exists", "RTM_NEWADDR 10.9.0.1/24 again, NLM_F_EXCL, uncapped: EEXIST", unix.NETLINK_ROUTE, uncapped, func() []byte {
			return newAddr(10, 9, 0, 1)
		}},
		{"err_prefixlen", "RTM_NEWROUTE with IPv4 rtm_dst_len 40, capped: message, no offset", unix.NETLINK_ROUTE, capped, prefixLen40},
		{"err_prefixlen_uncapped", "the same without NETLINK_CAP_ACK: the whole request is echoed before the TLVs", unix.NETLINK_ROUTE, uncapped, prefixLen40},
		{"err_nodev", "RTM_NEWROUTE with RTA_OIF 999: no such device", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_NEWROUTE, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
				e.Append(rtmsg(unix.AF_INET, 24, unix.RTN_UNICAST))
				e.Addr(unix.RTA_DST, netip.MustParseAddr("10.6.0.0"))
				e.Uint32(unix.RTA_OIF, 999)
			})
		}},
		{"err_policy", "RTM_NEWADDR with a 3-byte IFA_LOCAL, capped: message, offset and policy", unix.NETLINK_ROUTE, capped, shortLocal},
		{"err_policy_uncapped", "the same uncapped: offset counted in the echoed request", unix.NETLINK_ROUTE, uncapped, shortLocal},
		{"err_policy_unaligned", "err_policy uncapped with nlmsg_len 39, not a multiple of 4: the TLVs start at the next aligned offset", unix.NETLINK_ROUTE, uncapped, func() []byte {
			b := shortLocal()
			b = b[:len(b)-1] // drop IFA_LOCAL's padding byte
			binary.NativeEndian.PutUint32(b, uint32(len(b)))
			return b
		}},
		{"err_range", "RTM_NEWLINK for lo with IFLA_NEW_IFINDEX -5: signed range policy", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_NEWLINK, unix.NLM_F_ACK, func(e *packet.Encoder) {
				b := e.Grow(unix.SizeofIfInfomsg)
				binary.NativeEndian.PutUint32(b[4:], 1) // ifi_index of lo
				e.Uint32(unix.IFLA_MTU, 65536)
				e.Int32(unix.IFLA_NEW_IFINDEX, -5)
			})
		}},
		{"err_gso", "RTM_NEWLINK for lo with IFLA_GSO_MAX_SEGS 100000: refused by code, not by policy", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_NEWLINK, unix.NLM_F_ACK, func(e *packet.Encoder) {
				b := e.Grow(unix.SizeofIfInfomsg)
				binary.NativeEndian.PutUint32(b[4:], 1) // ifi_index of lo
				e.Uint32(unix.IFLA_GSO_MAX_SEGS, 100000)
			})
		}},
		{"err_nested", "RTM_NEWROUTE with an unknown RTAX_CC_ALGO inside RTA_METRICS", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_NEWROUTE, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
				e.Append(rtmsg(unix.AF_INET, 24, unix.RTN_UNICAST))
				e.Addr(unix.RTA_DST, netip.MustParseAddr("10.5.0.0"))
				n := e.BeginNested(unix.RTA_METRICS)
				e.Uint32(unix.RTAX_MTU, 1400)
				e.String(unix.RTAX_CC_ALGO, "no-such-cc")
				e.EndNested(n)
				e.Uint32(unix.RTA_OIF, uint32(ifindex("v0")))
			})
		}},
		{"err_ethtool_mask", "ethtool LINKINFO_GET whose header nest has ETHTOOL_A_HEADER_FLAGS 0x80, outside its mask: offset inside the nest", unix.NETLINK_GENERIC, capped, func() []byte {
			return genl("ethtool", unix.ETHTOOL_MSG_LINKINFO_GET, 1, func(e *packet.Encoder) {
				n := e.BeginNested(unix.ETHTOOL_A_LINKINFO_HEADER)
				e.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, 1)
				e.Uint32(unix.ETHTOOL_A_HEADER_FLAGS, 0x80)
				e.EndNested(n)
			})
		}},
		{"err_ethtool_range", "ethtool LINKMODES_SET for v0 with ETHTOOL_A_LINKMODES_LANES 9: integer out of range", unix.NETLINK_GENERIC, capped, func() []byte {
			return genl("ethtool", unix.ETHTOOL_MSG_LINKMODES_SET, 1, func(e *packet.Encoder) {
				n := e.BeginNested(unix.ETHTOOL_A_LINKMODES_HEADER)
				e.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, uint32(ifindex("v0")))
				e.EndNested(n)
				e.Uint32(unix.ETHTOOL_A_LINKMODES_LANES, 9)
			})
		}},
		{"err_ethtool_noheader", "ethtool LINKINFO_GET without its header nest", unix.NETLINK_GENERIC, capped, func() []byte {
			return genl("ethtool", unix.ETHTOOL_MSG_LINKINFO_GET, 1, func(*packet.Encoder) {})
		}},
		{"err_miss_type", "netdev dev-get without NETDEV_A_DEV_IFINDEX: NLMSGERR_ATTR_MISS_TYPE", unix.NETLINK_GENERIC, capped, func() []byte {
			return genl("netdev", netdevCmdDevGet, 1, func(*packet.Encoder) {})
		}},
		{"err_miss_nest", "ethtool TSINFO_GET for lo whose HWTSTAMP_PROVIDER nest lacks its INDEX: MISS_TYPE and MISS_NEST", unix.NETLINK_GENERIC, capped, func() []byte {
			return genl("ethtool", unix.ETHTOOL_MSG_TSINFO_GET, 1, func(e *packet.Encoder) {
				n := e.BeginNested(unix.ETHTOOL_A_TSINFO_HEADER)
				e.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, 1)
				e.EndNested(n)
				n = e.BeginNested(unix.ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER)
				e.Uint32(ethtoolATSHwtstampProviderQualifier, 0)
				e.EndNested(n)
			})
		}},
		{"err_nexthop", "RTM_NEWNEXTHOP with only NHA_ID", unix.NETLINK_ROUTE, capped, func() []byte {
			return msg(unix.RTM_NEWNEXTHOP, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
				e.Append([]byte{unix.AF_INET, 0, 0, 0, 0, 0, 0, 0}) // struct nhmsg
				e.Uint32(unix.NHA_ID, 7)
			})
		}},
	}
}

// newAddr adds the address a.b.c.d/24 to lo.
func newAddr(a, b, c, d byte) []byte {
	return msg(unix.RTM_NEWADDR, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		e.Append(ifaddrmsg(unix.AF_INET, 24, 1))
		e.Attr(unix.IFA_LOCAL, []byte{a, b, c, d})
		e.Attr(unix.IFA_ADDRESS, []byte{a, b, c, d})
	})
}

func prefixLen40() []byte {
	return msg(unix.RTM_NEWROUTE, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		e.Append(rtmsg(unix.AF_INET, 40, unix.RTN_UNICAST))
		e.Addr(unix.RTA_DST, netip.MustParseAddr("10.1.0.0"))
	})
}

func shortLocal() []byte {
	return msg(unix.RTM_NEWADDR, unix.NLM_F_ACK|unix.NLM_F_CREATE|unix.NLM_F_EXCL, func(e *packet.Encoder) {
		e.Append(ifaddrmsg(unix.AF_INET, 24, 1))
		e.Attr(unix.IFA_ADDRESS, []byte{10, 9, 0, 1})
		e.Attr(unix.IFA_LOCAL, []byte{10, 9, 0})
	})
}

// msg encodes one request message with NLM_F_REQUEST set.
func msg(typ, flags uint16, fill func(e *packet.Encoder)) []byte {
	var e packet.Encoder
	e.BeginMessage(typ, flags|unix.NLM_F_REQUEST)
	fill(&e)
	e.EndMessage()
	if e.Err() != nil {
		log.Fatal(e.Err())
	}
	return e.Bytes()
}

// genl encodes a generic netlink request to the named family, or returns
// nil when the kernel does not have it.
func genl(family string, cmd, version uint8, fill func(e *packet.Encoder)) []byte {
	id, ok := genlFamily(family)
	if !ok {
		return nil
	}
	return msg(id, unix.NLM_F_ACK, func(e *packet.Encoder) {
		e.Append([]byte{cmd, version, 0, 0})
		fill(e)
	})
}

func rtmsg(family, dstLen, typ byte) []byte {
	b := make([]byte, unix.SizeofRtMsg)
	b[0], b[1] = family, dstLen
	if typ != 0 {
		b[4], b[5], b[6], b[7] = unix.RT_TABLE_MAIN, unix.RTPROT_BOOT, unix.RT_SCOPE_UNIVERSE, typ
	}
	return b
}

func ifaddrmsg(family, prefixLen byte, index uint32) []byte {
	b := make([]byte, unix.SizeofIfAddrmsg)
	b[0], b[1] = family, prefixLen
	binary.NativeEndian.PutUint32(b[4:], index)
	return b
}

func ifindex(name string) int {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		log.Fatal(err)
	}
	return ifi.Index
}

// exchange sends req on a fresh socket and returns every datagram of the
// reply, up to the NLMSG_ERROR or NLMSG_DONE that ends it.
func exchange(proto int, o opts, req []byte) [][]byte {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
	if err != nil {
		log.Fatalf("socket: %v", err)
	}
	defer unix.Close(fd)
	setopt(fd, unix.NETLINK_EXT_ACK, true)
	setopt(fd, unix.NETLINK_CAP_ACK, o.capAck)
	setopt(fd, unix.NETLINK_GET_STRICT_CHK, o.strict)
	tv := unix.Timeval{Sec: 5}
	if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
		log.Fatal(err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		log.Fatalf("bind: %v", err)
	}
	if err := unix.Sendto(fd, req, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		log.Fatalf("send: %v", err)
	}
	var reply [][]byte
	for {
		buf := make([]byte, 1<<16)
		n, _, err := unix.Recvfrom(fd, buf, 0)
		if err != nil {
			log.Fatalf("recv: %v", err)
		}
		reply = append(reply, buf[:n])
		for s := packet.NewMessageScanner(buf[:n]); s.Next(); {
			if t := s.Message().Header.Type; t == unix.NLMSG_ERROR || t == unix.NLMSG_DONE {
				return reply
			}
		}
	}
}

func setopt(fd, opt int, on bool) {
	v := 0
	if on {
		v = 1
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, opt, v); err != nil {
		log.Fatalf("setsockopt %d: %v", opt, err)
	}
}

// genlFamily resolves a generic netlink family's id with
// CTRL_CMD_GETFAMILY.
func genlFamily(name string) (uint16, bool) {
	var e packet.Encoder
	e.BeginMessage(unix.GENL_ID_CTRL, unix.NLM_F_REQUEST|unix.NLM_F_ACK) // the ACK ends the exchange
	e.Append([]byte{unix.CTRL_CMD_GETFAMILY, 1, 0, 0})
	e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
	e.EndMessage()
	reply := exchange(unix.NETLINK_GENERIC, capped, e.Bytes())
	msgs, err := packet.ParseMessages(reply[0])
	if err != nil || len(msgs) == 0 || msgs[0].Header.Type != unix.GENL_ID_CTRL {
		return 0, false
	}
	for s := packet.NewAttrScanner(msgs[0].Data[4:]); s.Next(); {
		if s.Attr().Type == unix.CTRL_ATTR_FAMILY_ID {
			id, err := s.Attr().Uint16()
			return id, err == nil
		}
	}
	return 0, false
}

// describe logs what the kernel answered, decoded with package packet.
func describe(name string, reply [][]byte) {
	n, types := 0, map[uint16]int{}
	for _, d := range reply {
		for s := packet.NewMessageScanner(d); s.Next(); {
			m := s.Message()
			n++
			types[m.Header.Type]++
			if m.Header.Type != unix.NLMSG_ERROR && m.Header.Type != unix.NLMSG_DONE {
				continue
			}
			e, err := packet.ParseError(m)
			if err != nil {
				log.Printf("%s: malformed %d: %v", name, m.Header.Type, err)
				continue
			}
			log.Printf("%s: type %d flags %v: %q offset %d/%v miss %d/%d policy %v",
				name, m.Header.Type, packet.FlagNames(packet.Flags(m.Header.Flags), m.Header.Type, false),
				e.Error(), e.Offset, e.HasOffset, e.MissType, e.MissNest, e.Policy)
		}
	}
	log.Printf("%s: %d datagrams, %d messages by type %v", name, len(reply), n, types)
}

func write(dir, name, doc string, datagrams [][]byte) {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# %s\n# captured by tests/capture on Linux %s\n", doc, kernel())
	for i, d := range datagrams {
		if len(datagrams) > 1 {
			fmt.Fprintf(&sb, "# datagram %d, %d bytes\n", i+1, len(d))
		}
		prev := 0
		for s := packet.NewMessageScanner(d); s.Next(); {
			sb.WriteString(hex.EncodeToString(d[prev:s.Offset()]) + "\n")
			prev = s.Offset()
		}
		if prev < len(d) {
			sb.WriteString(hex.EncodeToString(d[prev:]) + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(sb.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}

func kernel() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "unknown"
	}
	return unix.ByteSliceToString(u.Release[:])
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
}
