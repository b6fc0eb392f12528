package ethtoolioctl_test

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink/ethtoolioctl"
	"github.com/nlsh/nlsh/packet/ethtool"
)

// TestDrvInfo asks for a veth's driver information inside a private
// namespace: the socket must be opened there, since the device exists
// nowhere else.
func TestDrvInfo(t *testing.T) {
	ns := nstest.New(t)
	dev := fmt.Sprintf("dv%d", unix.Getpid()%100000)
	ns.Run("ip", "link", "add", dev, "type", "veth", "peer", "dv-peer")
	for _, netns := range []string{ns.Name, ns.Path()} {
		b, err := ethtoolioctl.DrvInfo(netns, dev)
		if err != nil {
			t.Fatalf("%s: %v", netns, err)
		}
		if len(b) != ethtool.DrvInfoSize || string(b[4:9]) != "veth\x00" || b[0] != unix.ETHTOOL_GDRVINFO {
			t.Errorf("%s: drvinfo % x", netns, b)
		}
	}
	for _, tt := range []struct {
		netns, dev string
		errno      unix.Errno
	}{
		{"", dev, unix.ENODEV},           // not in this namespace
		{ns.Name, "nosuch", unix.ENODEV}, // no such device there
		{ns.Name, "a-name-longer-than-ifnamsiz", unix.EINVAL},
	} {
		_, err := ethtoolioctl.DrvInfo(tt.netns, tt.dev)
		if !errors.Is(err, tt.errno) {
			t.Errorf("DrvInfo(%q, %q): %v, want %v", tt.netns, tt.dev, err, tt.errno)
		}
	}
	if _, err := ethtoolioctl.DrvInfo("nlsh-no-such-netns", "lo"); err == nil || !errors.Is(err, unix.ENOENT) {
		t.Errorf("a missing namespace: %v", err)
	}
}
