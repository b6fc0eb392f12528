// Package rawsock opens the bare netlink sockets the floor benchmarks
// (cmd/rawdump, cmd/rawadd, cmd/rawgenldump) measure against, and counts
// the replies to their dumps: no library, only the syscalls any netlink
// program must make.
package rawsock

import (
	"encoding/binary"
	"errors"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// EnterNetNS moves the calling goroutine's thread into the named network
// namespace (/run/netns/NAME), locking the goroutine to that thread for
// good, so that the sockets it opens afterwards belong to the namespace.
// An empty name leaves the thread where it is.
func EnterNetNS(netns string) error {
	if netns == "" {
		return nil
	}
	runtime.LockOSThread()
	fd, err := unix.Open("/run/netns/"+netns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	err = unix.Setns(fd, unix.CLONE_NEWNET)
	unix.Close(fd)
	if err != nil {
		return os.NewSyscallError("setns", err)
	}
	return nil
}

// Open enters the named network namespace when netns is not empty (see
// EnterNetNS), then opens and binds a NETLINK_ROUTE socket with each of the
// given SOL_NETLINK options set.
func Open(netns string, options ...int) (int, error) {
	return OpenProtocol(netns, unix.NETLINK_ROUTE, options...)
}

// OpenProtocol is Open for any netlink protocol (unix.NETLINK_GENERIC, ...).
func OpenProtocol(netns string, protocol int, options ...int) (int, error) {
	if err := EnterNetNS(netns); err != nil {
		return -1, err
	}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, protocol)
	if err != nil {
		return -1, os.NewSyscallError("socket", err)
	}
	for _, opt := range options {
		_ = unix.SetsockoptInt(fd, unix.SOL_NETLINK, opt, 1)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		unix.Close(fd)
		return -1, os.NewSyscallError("bind", err)
	}
	return fd, nil
}

// CountDump reads the answer to a dump request sent on fd, one recvmsg per
// datagram into buf, and returns how many messages came before
// NLMSG_DONE, decoding none of them: the floor's share of a dump.
func CountDump(fd int, buf []byte) (int, error) {
	count := 0
	for {
		n, err := unix.Read(fd, buf)
		if err != nil {
			return count, os.NewSyscallError("read", err)
		}
		for off := 0; off+unix.NLMSG_HDRLEN <= n; {
			l := int(binary.NativeEndian.Uint32(buf[off:]))
			switch binary.NativeEndian.Uint16(buf[off+4:]) {
			case unix.NLMSG_DONE:
				return count, nil
			case unix.NLMSG_ERROR:
				return count, errors.New("netlink error")
			}
			if l < unix.NLMSG_HDRLEN {
				return count, errors.New("bad length")
			}
			count++
			off += (l + unix.NLMSG_ALIGNTO - 1) &^ (unix.NLMSG_ALIGNTO - 1)
		}
	}
}
