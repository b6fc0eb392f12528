package nstest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
)

// TCPOptions shapes the connection TCPExchange makes.
type TCPOptions struct {
	// Bytes is how much the client sends; 0 sends 64 KiB, enough for the
	// kernel to take RTT samples.
	Bytes int
	// FastOpen asks for a TCP Fast Open cookie (TCP_FASTOPEN_CONNECT),
	// which the client's kernel keeps in its TCP metrics. The namespace
	// must allow Fast Open: sysctl net.ipv4.tcp_fastopen=3.
	FastOpen bool
	// MPTCP makes both ends Multipath TCP sockets (IPPROTO_MPTCP), so
	// that the path manager reports the connection to its monitors. The
	// namespace must allow MPTCP: sysctl net.mptcp.enabled=1, the
	// default.
	MPTCP bool
	// Subflows, with MPTCP, is how many subflows besides the first each
	// end must have established before the client stops sending: the
	// path manager opens them from its subflow endpoints once the
	// connection is established, and one that would come after the end
	// of the data is never opened.
	Subflows int
}

// TCPConn is the connection TCPExchange made: the client's address and
// port, and the server's.
type TCPConn struct {
	Client, Server netip.AddrPort
}

// TCPExchange makes one TCP connection inside the namespace to a listener
// on dst (a local address, such as 127.0.0.1 or ::1), sends data over it
// and closes both ends. Closing a connection is when the kernel saves its
// RTT, window and threshold in the TCP metrics cache for dst (unless
// net.ipv4.tcp_no_metrics_save is set), so this is how a test gets
// entries for `ip tcp_metrics` to show.
func (ns *NS) TCPExchange(dst string, opts TCPOptions) TCPConn {
	ns.t.Helper()
	c, err := ns.TryTCPExchange(dst, opts)
	if err != nil {
		ns.t.Fatal(err)
	}
	return c
}

// TryTCPExchange is TCPExchange returning its error instead of failing
// the test.
func (ns *NS) TryTCPExchange(dst string, opts TCPOptions) (TCPConn, error) {
	c, err := tcpExchange(ns.Path(), dst, opts)
	if err != nil {
		return TCPConn{}, fmt.Errorf("tcp exchange with %s in %s: %w", dst, ns.Name, err)
	}
	return c, nil
}

func tcpExchange(nsPath, dst string, opts TCPOptions) (TCPConn, error) {
	if opts.Bytes == 0 {
		opts.Bytes = 64 << 10
	}
	ln, client, err := dial(nsPath, dst, opts)
	if err != nil {
		return TCPConn{}, err
	}
	defer ln.Close()
	defer client.Close()
	tc := TCPConn{Client: addrPort(client.LocalAddr()), Server: addrPort(ln.Addr())}

	// Both ends save their metrics as they finish: the client on entering
	// TIME_WAIT, when the server's FIN reaches it (before it reads the
	// end of the stream); the server on leaving LAST_ACK, when the
	// client's last ACK reaches it (before its state reads TCP_CLOSE).
	// Waiting for both keeps the cache still once this returns.
	type accepted struct {
		conn *net.TCPConn
		err  error
	}
	done := make(chan accepted, 1)
	serverEnd := make(chan *net.TCPConn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- accepted{err: err}
			close(serverEnd)
			return
		}
		server := c.(*net.TCPConn)
		serverEnd <- server
		n, err := io.Copy(io.Discard, server)
		if err == nil && n != int64(opts.Bytes) {
			err = fmt.Errorf("received %d bytes of %d", n, opts.Bytes)
		}
		if err == nil {
			err = server.CloseWrite()
		}
		done <- accepted{server, err}
	}()
	if _, err := client.Write(make([]byte, opts.Bytes)); err != nil {
		return tc, err
	}
	if opts.MPTCP && opts.Subflows > 0 {
		server, ok := <-serverEnd
		if !ok {
			return tc, (<-done).err
		}
		for _, end := range []*net.TCPConn{client, server} {
			if err := waitSubflows(end, 1+opts.Subflows); err != nil {
				return tc, err
			}
		}
	}
	if err := client.CloseWrite(); err != nil {
		return tc, err
	}
	if _, err := io.Copy(io.Discard, client); err != nil {
		return tc, err
	}
	a := <-done
	if a.conn != nil {
		defer a.conn.Close()
	}
	if a.err != nil {
		return tc, a.err
	}
	return tc, waitClosed(a.conn)
}

// dial opens a listener on dst inside the namespace at nsPath and
// connects a client to it, both sockets of that namespace.
func dial(nsPath, dst string, opts TCPOptions) (net.Listener, *net.TCPConn, error) {
	ip, err := netip.ParseAddr(dst)
	if err != nil {
		return nil, nil, err
	}
	nsfd, err := unix.Open(nsPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", nsPath, err)
	}
	defer unix.Close(nsfd)
	family, sa := unix.AF_INET6, unix.Sockaddr(&unix.SockaddrInet6{Addr: ip.As16()})
	if ip.Is4() {
		family, sa = unix.AF_INET, &unix.SockaddrInet4{Addr: ip.As4()}
	}
	proto := 0
	if opts.MPTCP {
		proto = unix.IPPROTO_MPTCP
	}
	// A socket belongs to the namespace it was made in, wherever it is
	// used afterwards.
	socket := func() (*os.File, error) {
		fd, err := netlink.InNetNS(nsfd, func() (int, error) {
			fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, proto)
			return fd, os.NewSyscallError("socket", err)
		})
		if err != nil {
			return nil, err
		}
		return os.NewFile(uintptr(fd), "tcp"), nil
	}
	lf, err := socket()
	if err != nil {
		return nil, nil, err
	}
	defer lf.Close() // ln has its own descriptor
	lfd := int(lf.Fd())
	if opts.FastOpen {
		if err := unix.SetsockoptInt(lfd, unix.IPPROTO_TCP, unix.TCP_FASTOPEN, 16); err != nil {
			return nil, nil, os.NewSyscallError("setsockopt TCP_FASTOPEN", err)
		}
	}
	if err := unix.Bind(lfd, sa); err != nil {
		return nil, nil, os.NewSyscallError("bind", err)
	}
	if err := unix.Listen(lfd, 1); err != nil {
		return nil, nil, os.NewSyscallError("listen", err)
	}
	bound, err := unix.Getsockname(lfd)
	if err != nil {
		return nil, nil, os.NewSyscallError("getsockname", err)
	}
	ln, err := net.FileListener(lf)
	if err != nil {
		return nil, nil, err
	}
	cf, err := socket()
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	defer cf.Close() // conn has its own descriptor
	cfd := int(cf.Fd())
	if opts.FastOpen {
		if err := unix.SetsockoptInt(cfd, unix.IPPROTO_TCP, unix.TCP_FASTOPEN_CONNECT, 1); err != nil {
			ln.Close()
			return nil, nil, os.NewSyscallError("setsockopt TCP_FASTOPEN_CONNECT", err)
		}
	}
	if err := unix.Connect(cfd, bound); err != nil {
		ln.Close()
		return nil, nil, os.NewSyscallError("connect", err)
	}
	conn, err := net.FileConn(cf)
	if err != nil {
		ln.Close()
		return nil, nil, err
	}
	return ln, conn.(*net.TCPConn), nil
}

// addrPort returns a TCP address as a netip.AddrPort, IPv4 unmapped.
func addrPort(a net.Addr) netip.AddrPort {
	ap := a.(*net.TCPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}

// MPTCP_TCPINFO, from include/uapi/linux/mptcp.h, which
// golang.org/x/sys/unix does not have.
const mptcpTCPInfo = 2

// waitSubflows waits until the MPTCP connection c has n subflows, each of
// them established, or gives up after a while. It asks MPTCP_TCPINFO for
// one byte of each subflow's tcp_info: its state. The kernel reports a
// subflow's sub_established event before a reader can see it so.
func waitSubflows(c *net.TCPConn, n int) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	const header = 16 // struct mptcp_subflow_data
	buf := make([]byte, header+n)
	for tries := 0; tries < 10000; tries++ {
		clear(buf)
		binary.NativeEndian.PutUint32(buf[0:], header) // size_subflow_data
		binary.NativeEndian.PutUint32(buf[12:], 1)     // size_user: tcpi_state
		if err := mptcpSockopt(raw, mptcpTCPInfo, "MPTCP_TCPINFO", buf); err != nil {
			return err
		}
		have := int(binary.NativeEndian.Uint32(buf[4:]))
		established := 0
		for i := 0; i < min(have, n); i++ {
			if buf[header+i] == unix.BPF_TCP_ESTABLISHED {
				established++
			}
		}
		if have >= n && established == n {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
	return fmt.Errorf("the MPTCP connection never had %d established subflows", n)
}

// waitClosed waits until the kernel has taken c through its last state,
// TCP_CLOSE (which BPF_TCP_CLOSE mirrors), or gives up after a while.
func waitClosed(c *net.TCPConn) error {
	raw, err := c.SyscallConn()
	if err != nil {
		return err
	}
	for tries := 0; tries < 10000; tries++ {
		var state uint8
		var infoErr error
		if err := raw.Control(func(fd uintptr) {
			var info *unix.TCPInfo
			info, infoErr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
			if info != nil {
				state = info.State
			}
		}); err != nil {
			return err
		}
		if infoErr != nil {
			return os.NewSyscallError("getsockopt TCP_INFO", infoErr)
		}
		if state == unix.BPF_TCP_CLOSE {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
	return fmt.Errorf("the server's socket never reached TCP_CLOSE")
}

// HeldConn is a connection HoldTCP keeps open until Close: its client
// and server ends, and the listener, which stays open for the subflows
// that join the connection.
type HeldConn struct {
	TCPConn
	ln             net.Listener
	client, server *net.TCPConn
	closed         bool
}

// HoldTCP makes one TCP connection inside the namespace to a listener on
// dst, as TCPExchange does, and keeps it open: both ends have sent and
// read a byte, so that an MPTCP connection is fully established (and can
// take subflows) when it returns. The connection ends with Close, or
// when the test does.
func (ns *NS) HoldTCP(dst string, opts TCPOptions) (*HeldConn, error) {
	ln, client, err := dial(ns.Path(), dst, opts)
	if err != nil {
		return nil, fmt.Errorf("tcp connection to %s in %s: %w", dst, ns.Name, err)
	}
	c := &HeldConn{TCPConn: TCPConn{Client: addrPort(client.LocalAddr()), Server: addrPort(ln.Addr())}, ln: ln, client: client}
	ns.t.Cleanup(func() { _ = c.Close() })
	conn, err := ln.Accept()
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("tcp connection to %s in %s: accept: %w", dst, ns.Name, err)
	}
	c.server = conn.(*net.TCPConn)
	one := make([]byte, 1)
	for _, ends := range [][2]*net.TCPConn{{client, c.server}, {c.server, client}} {
		if _, err := ends[0].Write(one); err != nil {
			c.Close()
			return nil, err
		}
		if _, err := io.ReadFull(ends[1], one); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Close closes both ends of the connection and the listener; closing
// again does nothing.
func (c *HeldConn) Close() error {
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	for _, end := range []*net.TCPConn{c.client, c.server} {
		if end != nil {
			errs = append(errs, end.Close())
		}
	}
	errs = append(errs, c.ln.Close())
	return errors.Join(errs...)
}

// MPTCPInfo is what MPTCP_INFO tells of one end of an MPTCP connection
// (struct mptcp_info, include/uapi/linux/mptcp.h): its token, how many
// subflows it has besides the first, and how many addresses it has
// announced and accepted.
type MPTCPInfo struct {
	Token                                    uint32
	Subflows, AddAddrSignal, AddAddrAccepted uint8
}

// MPTCP_INFO, from include/uapi/linux/mptcp.h.
const mptcpInfo = 1

// Info reads MPTCP_INFO of the client's end (server false) or the
// server's (server true).
func (c *HeldConn) Info(server bool) (MPTCPInfo, error) {
	end := c.client
	if server {
		end = c.server
	}
	raw, err := end.SyscallConn()
	if err != nil {
		return MPTCPInfo{}, err
	}
	// The fields wanted come first: subflows, add_addr_signal and
	// add_addr_accepted (u8 each, then three more), flags (u32 at 8),
	// token (u32 at 12).
	buf := make([]byte, 16)
	if err := mptcpSockopt(raw, mptcpInfo, "MPTCP_INFO", buf); err != nil {
		return MPTCPInfo{}, err
	}
	return MPTCPInfo{Token: binary.NativeEndian.Uint32(buf[12:]), Subflows: buf[0], AddAddrSignal: buf[1], AddAddrAccepted: buf[2]}, nil
}

// mptcpSockopt reads the SOL_MPTCP option opt (named name, for its error)
// of the socket raw into buf, which holds what the kernel reads first, if
// anything: golang.org/x/sys/unix has no getsockopt for a buffer the
// caller lays out.
func mptcpSockopt(raw syscall.RawConn, opt int, name string, buf []byte) error {
	var errno syscall.Errno
	if err := raw.Control(func(fd uintptr) {
		size := uint32(len(buf))
		_, _, errno = unix.Syscall6(unix.SYS_GETSOCKOPT, fd, unix.SOL_MPTCP, uintptr(opt),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(&size)), 0)
	}); err != nil {
		return err
	}
	if errno != 0 {
		return os.NewSyscallError("getsockopt "+name, errno)
	}
	return nil
}
