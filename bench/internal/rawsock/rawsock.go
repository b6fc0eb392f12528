// Package rawsock opens the bare netlink sockets the floor benchmarks
// (cmd/rawdump, cmd/rawadd, cmd/rawgenldump) measure against: no library,
// only the syscalls any netlink program must make.
package rawsock

import (
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
