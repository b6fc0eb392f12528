// Package ethtoolioctl sends the few ethtool requests that have no netlink
// message through the older SIOCETHTOOL ioctl: ETHTOOL_GDRVINFO, what
// `ethtool -i` prints, and ETHTOOL_GSTRINGS with ETHTOOL_GSTATS, the
// driver's statistics `ethtool -S` prints. The ioctl goes on a datagram
// socket, and the kernel looks the device up in that socket's network
// namespace, so the socket is opened in the namespace asked for, as
// netlink sockets are.
//
//	info, err := ethtoolioctl.DrvInfo("", "eth0")   // this namespace
//	v, err := schema.Decode(ethtool.DrvInfo, info)  // packet/ethtool
//	stats, err := ethtoolioctl.DriverStats("", "eth0")
//	for _, s := range stats { fmt.Println(s.Name, s.Value) }
//
// These commands only read: they need no privilege and change nothing.
package ethtoolioctl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

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
// network namespace netns, as the kernel filled it: ethtool.DrvInfoSize
// bytes in host byte order. A device that does not exist is ENODEV.
func DrvInfo(netns, dev string) ([]byte, error) {
	fd, err := socket(netns)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	info := make([]byte, ethtool.DrvInfoSize)
	binary.NativeEndian.PutUint32(info, unix.ETHTOOL_GDRVINFO)
	if err := ethtoolIoctl(fd, dev, "ETHTOOL_GDRVINFO", unsafe.Pointer(&info[0])); err != nil {
		return nil, err
	}
	return info, nil
}

// ifreqData is struct ifreq with ifr_data, the pointer SIOCETHTOOL takes
// to the ethtool command, in its union. golang.org/x/sys/unix has the
// same type unexported; its padding makes it unix.Ifreq's size, which is
// what the kernel copies in.
type ifreqData struct {
	name [unix.IFNAMSIZ]byte
	data unsafe.Pointer
	_    [unsafe.Sizeof(unix.Ifreq{}) - unix.IFNAMSIZ - unsafe.Sizeof(uintptr(0))]byte
}

// ethtoolIoctl sends the ethtool command at cmd, called name (such as
// "ETHTOOL_GDRVINFO"), which the kernel reads and writes in place, for
// the device dev on the socket fd. cmd must point to memory that does not
// move: a guarded buffer, a heap slice, or a variable the compiler keeps
// alive for the call. An error is an *os.SyscallError naming the command.
func ethtoolIoctl(fd int, dev, name string, cmd unsafe.Pointer) error {
	ifr, err := unix.NewIfreq(dev) // EINVAL for a name too long
	if err != nil {
		return &os.SyscallError{Syscall: "ioctl SIOCETHTOOL " + name, Err: err}
	}
	req := ifreqData{data: cmd}
	copy(req.name[:], ifr.Name())
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&req)))
	if errno != 0 {
		return &os.SyscallError{Syscall: "ioctl SIOCETHTOOL " + name, Err: errno}
	}
	return nil
}

// guarded is a buffer the kernel fills whose last byte sits just before a
// page that cannot be written. ETHTOOL_GSTRINGS and ETHTOOL_GSTATS write
// as many entries as the driver has when the call runs, whatever count
// the caller allotted room for; should the count grow between the calls,
// the kernel's write past the buffer faults (EFAULT) on the guard page
// instead of overwriting memory.
type guarded struct {
	mapping []byte // the whole mapping, guard page included
	buf     []byte // the buffer, ending at the guard page
}

// newGuarded maps a guarded buffer of size bytes, zeroed.
func newGuarded(size int) (*guarded, error) {
	page := os.Getpagesize()
	total := (size+page-1)/page*page + page
	m, err := unix.Mmap(-1, 0, total, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}
	if err := unix.Mprotect(m[total-page:], unix.PROT_NONE); err != nil {
		_ = unix.Munmap(m)
		return nil, os.NewSyscallError("mprotect", err)
	}
	end := total - page
	return &guarded{mapping: m, buf: m[end-size : end : end]}, nil
}

// close unmaps the buffer.
func (g *guarded) close() { _ = unix.Munmap(g.mapping) }

// call sends the ethtool command name the buffer holds and returns a
// copy of what the kernel left there.
func (g *guarded) call(fd int, dev, name string) ([]byte, error) {
	err := ethtoolIoctl(fd, dev, name, unsafe.Pointer(&g.buf[0]))
	return append([]byte(nil), g.buf...), err
}

// maxStats bounds the count of statistics DriverStats reads, so that
// their names fit in a buffer of 2^31 bytes, as the kernel's own buffer
// for their values must (ETHTOOL_GSTATS refuses more than S32_MAX/8).
const maxStats = (1<<31 - 1 - ethtool.GStringsHeaderLen) / ethtool.GStringLen

// driverStatsAttempts is how many times DriverStats reads the statistics
// again when their count changed during a read.
const driverStatsAttempts = 5

// errCountChanged marks a read during which the driver's count of
// statistics changed; DriverStats then reads again.
var errCountChanged = errors.New("the driver's count of statistics changed during the read")

// DriverStats returns the driver statistics of the device dev in the
// network namespace netns, what `ethtool -S` prints: name → uint64 value,
// in the driver's order. A device whose driver has no statistics (lo) is
// EOPNOTSUPP, a device that does not exist ENODEV; a driver that has
// statistics but none to report gives an empty Map.
//
// The names and values come from two ioctls (ETHTOOL_GSTRINGS for the
// ETH_SS_STATS string set, then ETHTOOL_GSTATS), each sized by the count
// ETHTOOL_GSSET_INFO gave. Should the count change in between (a queue
// added), the read starts again, up to a few times, then fails.
func DriverStats(netns, dev string) (schema.Map, error) {
	fd, err := socket(netns)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	for range driverStatsAttempts {
		m, err := readDriverStats(fd, dev)
		if !errors.Is(err, errCountChanged) {
			return m, err
		}
	}
	return nil, fmt.Errorf("ethtool ioctl: %w %d times in a row", errCountChanged, driverStatsAttempts)
}

// readDriverStats reads the names and the values once, and fails with
// errCountChanged when the count the kernel wrote is not the one asked.
func readDriverStats(fd int, dev string) (schema.Map, error) {
	n, err := statsCount(fd, dev)
	if err != nil {
		return nil, err
	}
	ne := binary.NativeEndian
	names, err := countedCall(fd, dev, "ETHTOOL_GSTRINGS", ethtool.GStringsHeaderLen+n*ethtool.GStringLen, n, 8,
		func(b []byte) {
			ne.PutUint32(b[0:], unix.ETHTOOL_GSTRINGS)
			ne.PutUint32(b[4:], ethtool.StringsetStats)
			ne.PutUint32(b[8:], uint32(n))
		})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		// ETHTOOL_GSTATS warns in the kernel log when there is nothing
		// to read, and ethtool does not ask.
		return schema.Map{}, nil
	}
	values, err := countedCall(fd, dev, "ETHTOOL_GSTATS", ethtool.GStatsHeaderLen+n*8, n, 4,
		func(b []byte) {
			ne.PutUint32(b[0:], unix.ETHTOOL_GSTATS)
			ne.PutUint32(b[4:], uint32(n))
		})
	if err != nil {
		return nil, err
	}
	return ethtool.DecodeDriverStats(names, values)
}

// countedCall sends the ethtool command put writes into a guarded buffer
// of size bytes, with room for n entries, and returns what the kernel
// wrote back, whose count (a u32 at countAt) must still be n. The kernel
// writing more than n faults on the guard page: EFAULT, then.
func countedCall(fd int, dev, cmd string, size, n, countAt int, put func([]byte)) ([]byte, error) {
	g, err := newGuarded(size)
	if err != nil {
		return nil, err
	}
	defer g.close()
	put(g.buf)
	b, err := g.call(fd, dev, cmd)
	if errors.Is(err, unix.EFAULT) {
		return nil, errCountChanged // more entries than room: the count grew
	}
	if err != nil {
		return nil, err
	}
	if got := binary.NativeEndian.Uint32(b[countAt:]); got != uint32(n) {
		return nil, errCountChanged
	}
	return b, nil
}

// statsCount asks ETHTOOL_GSSET_INFO how many statistics the driver of dev
// has: 0 when it does not say, as for a driver without statistics, whose
// ETHTOOL_GSTRINGS then reports why.
func statsCount(fd int, dev string) (int, error) {
	// struct ethtool_sset_info: cmd, reserved, sset_mask (u64), then a
	// u32 count for each set the mask asks for that the driver has.
	var info struct {
		cmd, reserved uint32
		mask          uint64
		count         [1]uint32
	}
	info.cmd = unix.ETHTOOL_GSSET_INFO
	info.mask = 1 << ethtool.StringsetStats
	if err := ethtoolIoctl(fd, dev, "ETHTOOL_GSSET_INFO", unsafe.Pointer(&info)); err != nil {
		return 0, err
	}
	if info.mask&(1<<ethtool.StringsetStats) == 0 {
		return 0, nil
	}
	if info.count[0] > maxStats {
		return 0, fmt.Errorf("ioctl SIOCETHTOOL ETHTOOL_GSSET_INFO: %d statistics, more than the %d ethtool reads", info.count[0], maxStats)
	}
	return int(info.count[0]), nil
}
