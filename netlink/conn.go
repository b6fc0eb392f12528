// Package netlink talks to the kernel over netlink sockets: it opens them,
// in any network namespace, and runs the request protocol on top of the
// codec in package packet — requests and their acknowledgements, streaming
// dumps, pipelined batches and multicast subscriptions.
//
// A Conn is one socket of one protocol:
//
//	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: "lab"})
//	if err != nil {
//		return err
//	}
//	defer c.Close()
//	for m, err := range c.Dump(ctx, req) {
//		if err != nil {
//			return err
//		}
//		// m aliases the receive buffer until the next step.
//	}
//
// Every blocking call takes a context.Context; cancelling it, or reaching
// its deadline, unblocks a pending receive.
//
// # Concurrency
//
// A Conn is safe for concurrent use. Requests, dumps and batches on one
// Conn are serialised: each holds the Conn until it ends (for a dump, until
// its loop ends). Notifications reads without that lock, so a subscription
// should have its own Conn. Close may be called at any time from any
// goroutine; it unblocks every pending call.
//
// # Buffers
//
// The Conn owns one receive buffer, sized with MSG_PEEK|MSG_TRUNC before each
// receive so that no datagram is ever truncated, and reused across
// receives. Messages yielded by Dump and Notifications alias it and are
// valid only until the next step of the loop; copy what must outlive it.
// Execute returns messages that own their bytes.
package netlink

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// Config holds the options of Dial. The zero value (or nil) opens a socket
// in the caller's network namespace with the kernel's default buffer sizes.
type Config struct {
	// NetNS names the network namespace to open the socket in: a name
	// under /run/netns, as `ip netns` manages them, or an absolute path
	// such as /proc/1234/ns/net. Empty means the current namespace.
	NetNS string
	// NetNSFD is an open file descriptor of a network namespace, used when
	// NetNS is empty. Zero means none.
	NetNSFD int
	// Groups are multicast groups to join at once.
	Groups []uint32
	// ReadBufferSize sets SO_RCVBUF (SO_RCVBUFFORCE where permitted).
	// Zero keeps the kernel's default.
	ReadBufferSize int
	// DisableStrictCheck leaves NETLINK_GET_STRICT_CHK off, for requests
	// that rely on the old lenient parsing of dump headers.
	DisableStrictCheck bool
}

// recvBufferSize is the initial size of a Conn's receive buffers. The
// kernel sizes the datagrams of a dump by the buffer the reader offers, up
// to 32 KiB, so a smaller buffer would cost more receives per dump; a
// larger datagram still arrives whole, as the buffer grows to fit.
const recvBufferSize = 32 << 10

// Conn is a netlink socket. See the package documentation for its rules of
// concurrency and buffer ownership.
type Conn struct {
	proto  int
	file   *os.File
	raw    syscall.RawConn
	portID uint32
	strict bool

	mu   sync.Mutex // held by each request, dump and batch
	seq  uint32
	rbuf []byte
	from unix.RawSockaddrNetlink
	// drainSeq is the sequence number of a dump that was abandoned before
	// its end; it must be read to its end before the next request, since
	// the kernel runs one dump per socket at a time.
	drainSeq uint32
	draining bool

	nmu  sync.Mutex // guards nbuf, the receive buffer of Notifications
	nbuf []byte
	nfrm unix.RawSockaddrNetlink
}

// Dial opens a netlink socket of the given protocol (unix.NETLINK_ROUTE,
// unix.NETLINK_GENERIC, ...), binds it to a port ID the kernel picks, and
// turns on extended ACKs, capped ACKs and, where the kernel has it, strict
// checking of dump requests.
func Dial(proto int, cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	fd, err := openSocket(proto, cfg)
	if err != nil {
		return nil, err
	}
	c, err := newConn(fd, proto, cfg)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return c, nil
}

func newConn(fd, proto int, cfg *Config) (*Conn, error) {
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return nil, os.NewSyscallError("bind", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return nil, os.NewSyscallError("getsockname", err)
	}
	nsa, ok := sa.(*unix.SockaddrNetlink)
	if !ok {
		return nil, fmt.Errorf("netlink: getsockname returned %T", sa)
	}
	for _, opt := range []int{unix.NETLINK_EXT_ACK, unix.NETLINK_CAP_ACK} {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, opt, 1); err != nil && err != unix.ENOPROTOOPT {
			return nil, os.NewSyscallError("setsockopt", err)
		}
	}
	strict := false
	if !cfg.DisableStrictCheck {
		// Older kernels and some protocols lack it; that is not an error.
		strict = unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_GET_STRICT_CHK, 1) == nil
	}
	if cfg.ReadBufferSize > 0 {
		if err := setReadBuffer(fd, cfg.ReadBufferSize); err != nil {
			return nil, err
		}
	}
	for _, g := range cfg.Groups {
		if err := unix.SetsockoptInt(fd, unix.SOL_NETLINK, unix.NETLINK_ADD_MEMBERSHIP, int(g)); err != nil {
			return nil, fmt.Errorf("netlink: join group %d: %w", g, os.NewSyscallError("setsockopt", err))
		}
	}
	// The fd is non-blocking, so os.NewFile registers it with the runtime
	// poller: reads park the goroutine, and deadlines unblock them.
	file := os.NewFile(uintptr(fd), "netlink")
	raw, err := file.SyscallConn()
	if err != nil {
		file.Close()
		return nil, err
	}
	return &Conn{
		proto:  proto,
		file:   file,
		raw:    raw,
		portID: nsa.Pid,
		strict: strict,
		rbuf:   make([]byte, recvBufferSize),
		nbuf:   make([]byte, recvBufferSize),
	}, nil
}

func setReadBuffer(fd, n int) error {
	if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, n) == nil {
		return nil
	}
	return os.NewSyscallError("setsockopt", unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, n))
}

// SetReadBuffer sets the socket's receive buffer size, as
// Config.ReadBufferSize does.
func (c *Conn) SetReadBuffer(n int) error {
	var err error
	cerr := c.raw.Control(func(fd uintptr) { err = setReadBuffer(int(fd), n) })
	return errors.Join(cerr, err)
}

// Close closes the socket. Pending calls return an error.
func (c *Conn) Close() error { return c.file.Close() }

// PortID returns the port ID the kernel assigned to the socket.
func (c *Conn) PortID() uint32 { return c.portID }

// Protocol returns the netlink protocol the socket was opened for.
func (c *Conn) Protocol() int { return c.proto }

// StrictCheck reports whether NETLINK_GET_STRICT_CHK is on, so that the
// kernel filters dumps by the fields of the request header.
func (c *Conn) StrictCheck() bool { return c.strict }

// JoinGroup subscribes the socket to a multicast group.
func (c *Conn) JoinGroup(group uint32) error {
	return c.setsockopt(unix.NETLINK_ADD_MEMBERSHIP, int(group))
}

// LeaveGroup unsubscribes the socket from a multicast group.
func (c *Conn) LeaveGroup(group uint32) error {
	return c.setsockopt(unix.NETLINK_DROP_MEMBERSHIP, int(group))
}

func (c *Conn) setsockopt(opt, v int) error {
	var err error
	cerr := c.raw.Control(func(fd uintptr) {
		err = unix.SetsockoptInt(int(fd), unix.SOL_NETLINK, opt, v)
	})
	if cerr != nil {
		return cerr
	}
	return os.NewSyscallError("setsockopt", err)
}

// nextSeq returns a fresh sequence number. Zero is skipped: notifications
// that no request caused carry it.
func (c *Conn) nextSeq() uint32 {
	c.seq++
	if c.seq == 0 {
		c.seq++
	}
	return c.seq
}

// send writes b, one or more messages, in one sendmsg to the kernel.
func (c *Conn) send(b []byte) error { return c.sendv([][]byte{b}) }

// sendv writes the buffers as one datagram with writev(2).
func (c *Conn) sendv(bufs [][]byte) error {
	total := 0
	for _, b := range bufs {
		total += len(b)
	}
	var n int
	var serr error
	err := c.raw.Write(func(fd uintptr) bool {
		n, serr = unix.Writev(int(fd), bufs)
		return serr != unix.EAGAIN
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return os.NewSyscallError("sendmsg", serr)
	}
	if n != total {
		return fmt.Errorf("netlink: short send: %d of %d bytes", n, total)
	}
	return nil
}

// recvfrom is recvfrom(2) without the allocation that unix.Recvfrom makes for
// the source address: the address is written to *from.
func recvfrom(fd uintptr, b []byte, flags int, from *unix.RawSockaddrNetlink) (int, error) {
	var p unsafe.Pointer
	if len(b) > 0 {
		p = unsafe.Pointer(&b[0])
	}
	alen := uint32(unix.SizeofSockaddrNetlink)
	n, _, e := unix.Syscall6(unix.SYS_RECVFROM, fd, uintptr(p), uintptr(len(b)), uintptr(flags),
		uintptr(unsafe.Pointer(from)), uintptr(unsafe.Pointer(&alen)))
	if e != 0 {
		return int(n), e
	}
	return int(n), nil
}

// receive reads one datagram into *buf, growing it first to the size that a
// MSG_PEEK|MSG_TRUNC receive reports, so nothing is ever truncated. The
// sender's address is left in *from.
func (c *Conn) receive(buf *[]byte, from *unix.RawSockaddrNetlink) ([]byte, error) {
	var n int
	var rerr error
	err := c.raw.Read(func(fd uintptr) bool {
		n, rerr = recvfrom(fd, (*buf)[:0], unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT, from)
		if rerr == unix.EAGAIN {
			return false
		}
		if rerr != nil {
			return true
		}
		if n > len(*buf) {
			*buf = make([]byte, packet.Align(n))
		}
		n, rerr = recvfrom(fd, *buf, unix.MSG_DONTWAIT, from)
		return rerr != unix.EAGAIN
	})
	if err != nil {
		return nil, err
	}
	if rerr == unix.ENOBUFS {
		return nil, ErrEventsLost
	}
	if rerr != nil {
		return nil, os.NewSyscallError("recvmsg", rerr)
	}
	return (*buf)[:n], nil
}

// receiveFromKernel receives datagrams until one is a unicast reply from
// the kernel, and returns a scanner over its messages. Notifications and
// messages from other processes that share the socket are dropped.
func (c *Conn) receiveFromKernel() (packet.MessageScanner, error) {
	for {
		b, err := c.receive(&c.rbuf, &c.from)
		if err != nil {
			return packet.MessageScanner{}, err
		}
		if fromKernel(&c.from) {
			return packet.NewMessageScanner(b), nil
		}
	}
}

// watch makes ctx's cancellation and deadline unblock the receives of one
// operation. It returns a function that ends the watch and maps a deadline
// error from the poller to ctx.Err().
func (c *Conn) watch(ctx context.Context) (stop func(err error) error) {
	if ctx.Done() == nil {
		return func(err error) error { return err }
	}
	dl, _ := ctx.Deadline() // the zero time clears an old deadline
	_ = c.file.SetReadDeadline(dl)
	var wg sync.WaitGroup
	wg.Add(1)
	unregister := context.AfterFunc(ctx, func() {
		defer wg.Done()
		_ = c.file.SetReadDeadline(time.Unix(1, 0))
	})
	return func(err error) error {
		if unregister() {
			wg.Done()
		} else {
			wg.Wait()
		}
		_ = c.file.SetReadDeadline(time.Time{})
		if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
			// The poller's deadline is the context's, so the context is
			// done or about to be: its own timer may fire a moment later.
			<-ctx.Done()
			return ctx.Err()
		}
		return err
	}
}

// ErrEventsLost reports that the socket's receive buffer overflowed
// (ENOBUFS) and the kernel dropped messages. For a subscription it means
// notifications were lost and any state built from them must be resynced
// with a dump; the subscription itself stays usable.
var ErrEventsLost = errors.New("netlink: events lost: receive buffer overflowed (ENOBUFS)")
