// Package rawsock opens the bare netlink sockets the floor benchmarks
// (cmd/rawdump, cmd/rawadd) measure against: no library, only the
// syscalls any netlink program must make.
package rawsock

import (
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// Open enters the named network namespace when netns is not empty (locking
// the calling goroutine to its thread for good), then opens and binds a
// NETLINK_ROUTE socket with each of the given SOL_NETLINK options set.
func Open(netns string, options ...int) (int, error) {
	if netns != "" {
		runtime.LockOSThread()
		fd, err := unix.Open("/run/netns/"+netns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1, err
		}
		err = unix.Setns(fd, unix.CLONE_NEWNET)
		unix.Close(fd)
		if err != nil {
			return -1, os.NewSyscallError("setns", err)
		}
	}
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
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
