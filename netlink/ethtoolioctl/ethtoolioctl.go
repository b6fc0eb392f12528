// Package ethtoolioctl sends the few ethtool requests that have no netlink
// message through the older SIOCETHTOOL ioctl: ETHTOOL_GDRVINFO, what
// `ethtool -i` prints. The ioctl goes on a datagram socket, and the kernel
// looks the device up in that socket's network namespace, so the socket is
// opened in the namespace asked for, as netlink sockets are.
//
//	info, err := ethtoolioctl.DrvInfo("", "eth0")   // this namespace
//	v, err := schema.Decode(ethtool.DrvInfo, info)  // packet/ethtool
//
// ETHTOOL_GDRVINFO only reads: it needs no privilege and changes nothing.
package ethtoolioctl

import (
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
)

// drvinfoSize is the size of struct ethtool_drvinfo, which
// unix.EthtoolDrvinfo mirrors field for field.
const drvinfoSize = 196

// A compile-time check that unix.EthtoolDrvinfo is the C struct's size.
var _ [drvinfoSize - unsafe.Sizeof(unix.EthtoolDrvinfo{})]struct{}
var _ [unsafe.Sizeof(unix.EthtoolDrvinfo{}) - drvinfoSize]struct{}

// socket opens the datagram socket ioctls go on, in the network namespace
// netns (a name under /run/netns or a path; "" for the caller's own).
func socket(netns string) (int, error) {
	open := func() (int, error) {
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			// A kernel without IPv4 still has netlink.
			fd, err = unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_GENERIC)
		}
		return fd, os.NewSyscallError("socket", err)
	}
	if netns == "" {
		return open()
	}
	path := netlink.NetNSPath(netns)
	nsfd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("ethtool ioctl: network namespace %q: %w", netns, &os.PathError{Op: "open", Path: path, Err: err})
	}
	defer unix.Close(nsfd)
	return netlink.InNetNS(nsfd, open)
}

// DrvInfo returns the struct ethtool_drvinfo of the device dev in the
// network namespace netns, as the kernel filled it: DrvInfoSize bytes in
// host byte order. A device that does not exist is ENODEV.
func DrvInfo(netns, dev string) ([]byte, error) {
	fd, err := socket(netns)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	info, err := unix.IoctlGetEthtoolDrvinfo(fd, dev)
	if err != nil {
		return nil, &os.SyscallError{Syscall: "ioctl SIOCETHTOOL ETHTOOL_GDRVINFO", Err: err}
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(info)), drvinfoSize)
	return append([]byte(nil), b...), nil
}
