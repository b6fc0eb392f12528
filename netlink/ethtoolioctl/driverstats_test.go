package ethtoolioctl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/ethtool"
)

// TestDriverStats reads a veth's statistics inside a private namespace:
// the first is peer_ifindex, the peer's ifindex, and every name is
// distinct; lo has none (EOPNOTSUPP) and a missing device is ENODEV.
func TestDriverStats(t *testing.T) {
	ns := nstest.New(t)
	dev := fmt.Sprintf("ds%d", unix.Getpid()%100000)
	ns.Run("ip", "link", "add", dev, "type", "veth", "peer", "ds-peer")
	peer, err := strconv.Atoi(strings.TrimSpace(ns.Run("cat", "/sys/class/net/ds-peer/ifindex")))
	if err != nil {
		t.Fatal(err)
	}
	for _, netns := range []string{ns.Name, ns.Path()} {
		m, err := DriverStats(netns, dev)
		if err != nil {
			t.Fatalf("%s: %v", netns, err)
		}
		if len(m) < 2 || m[0].Name != "peer_ifindex" || m[0].Value != uint64(peer) {
			t.Errorf("%s: %v, want peer_ifindex %d first", netns, m, peer)
		}
		seen := map[string]bool{}
		for _, e := range m {
			if seen[e.Name] {
				t.Errorf("%s: %s twice", netns, e.Name)
			}
			seen[e.Name] = true
		}
	}
	for _, tt := range []struct {
		netns, dev string
		errno      unix.Errno
	}{
		{ns.Name, "lo", unix.EOPNOTSUPP}, // no statistics
		{"", dev, unix.ENODEV},           // not in this namespace
		{ns.Name, "nosuch", unix.ENODEV},
		{ns.Name, "a-name-longer-than-ifnamsiz", unix.EINVAL},
	} {
		m, err := DriverStats(tt.netns, tt.dev)
		if !errors.Is(err, tt.errno) {
			t.Errorf("DriverStats(%q, %q): %v, %v; want %v", tt.netns, tt.dev, m, err, tt.errno)
		}
	}
	if _, err := DriverStats("nlsh-no-such-netns", "lo"); !errors.Is(err, unix.ENOENT) {
		t.Errorf("a missing namespace: %v", err)
	}
}

// TestCountedCallGuard asks ETHTOOL_GSTRINGS for fewer and for more names
// than a veth has, as a read does when the count changes under it: with
// too little room the kernel's write runs into the guard page (EFAULT)
// rather than past the buffer, with too much the count it writes back
// differs, and both are errCountChanged, which DriverStats retries.
func TestCountedCallGuard(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "g0", "type", "veth", "peer", "g1")
	fd, err := socket(ns.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	n, err := statsCount(fd, "g0")
	if err != nil || n < 2 {
		t.Fatalf("statsCount: %d, %v", n, err)
	}
	gstrings := func(room int) error {
		_, err := countedCall(fd, "g0", "ETHTOOL_GSTRINGS", ethtool.GStringsHeaderLen+room*ethtool.GStringLen, room, 8,
			func(b []byte) {
				binary.NativeEndian.PutUint32(b[0:], unix.ETHTOOL_GSTRINGS)
				binary.NativeEndian.PutUint32(b[4:], ethtool.StringsetStats)
			})
		return err
	}
	for _, tt := range []struct {
		room int
		want error
	}{
		{n, nil}, {n - 1, errCountChanged}, {0, errCountChanged}, {n + 1, errCountChanged},
	} {
		if err := gstrings(tt.room); !errors.Is(err, tt.want) {
			t.Errorf("room for %d of %d names: %v, want %v", tt.room, n, err, tt.want)
		}
	}
}

// TestGuarded: a guarded buffer ends just before its guard page, and
// the kernel cannot copy from (nor so to) that page: write(2) from it is
// EFAULT, from the buffer's last byte it works.
func TestGuarded(t *testing.T) {
	page := unix.Getpagesize()
	p := make([]int, 2)
	if err := unix.Pipe2(p, unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(p[0])
	defer unix.Close(p[1])
	write := func(b *byte) unix.Errno {
		_, _, errno := unix.Syscall(unix.SYS_WRITE, uintptr(p[1]), uintptr(unsafe.Pointer(b)), 1)
		return errno
	}
	for _, size := range []int{1, 12, page, page + 1} {
		g, err := newGuarded(size)
		if err != nil {
			t.Fatal(err)
		}
		guard := &g.mapping[len(g.mapping)-page]
		if len(g.buf) != size || cap(g.buf) != size ||
			uintptr(unsafe.Pointer(&g.buf[size-1]))+1 != uintptr(unsafe.Pointer(guard)) {
			t.Errorf("size %d: len %d cap %d, not ending at the guard page", size, len(g.buf), cap(g.buf))
		}
		if errno := write(&g.buf[size-1]); errno != 0 {
			t.Errorf("size %d: the last byte: %v", size, errno)
		}
		if errno := write(guard); errno != unix.EFAULT {
			t.Errorf("size %d: the guard page: %v, want EFAULT", size, errno)
		}
		var drain [8]byte
		_, _ = unix.Read(p[0], drain[:])
		g.close()
	}
}
