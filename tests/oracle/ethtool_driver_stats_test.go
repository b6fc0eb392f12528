package oracle

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink/ethtoolioctl"
	"github.com/nlsh/nlsh/packet/schema"
)

// ethtoolStats runs `ethtool -S dev` in ns and returns its NIC statistics,
// "     name: value" lines, in the order printed.
func ethtoolStats(t *testing.T, ns *nstest.NS, dev string) schema.Map {
	t.Helper()
	out := ns.Run("ethtool", "-S", dev)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "NIC statistics:" {
		t.Fatalf("ethtool -S %s prints %q", dev, out)
	}
	var m schema.Map
	for _, line := range lines[1:] {
		// ethtool prints each as "     %.*s: %llu".
		i := strings.LastIndex(line, ": ")
		if !strings.HasPrefix(line, "     ") || i < 0 {
			t.Fatalf("ethtool -S %s: line %q", dev, line)
		}
		v, err := strconv.ParseUint(line[i+2:], 10, 64)
		if err != nil {
			t.Fatalf("ethtool -S %s: line %q: %v", dev, line, err)
		}
		m = append(m, schema.MapEntry{Name: line[5:i], Value: v})
	}
	return m
}

// TestOracleEthtoolDriverStats compares every line of `ethtool -S` for
// both ends of a veth pair, name and value in order, with
// ethtoolioctl.DriverStats. Pings first go over the pair with GRO on v0
// and TSO off on v1, so that v0 receives through its NAPI queue and its
// rx_queue_0_xdp_* counters are not zero; then both ends go down, so that
// no counter moves between ethtool's read and ours.
func TestOracleEthtoolDriverStats(t *testing.T) {
	ns, peerNS := nstest.New(t), nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1", "netns", peerNS.Name)
	ns.Run("ip", "addr", "add", "10.9.0.1/24", "dev", "v0")
	peerNS.Run("ip", "addr", "add", "10.9.0.2/24", "dev", "v1")
	ns.Run("ethtool", "-K", "v0", "gro", "on")
	peerNS.Run("ethtool", "-K", "v1", "tso", "off", "gso", "off")
	ns.Run("ip", "link", "set", "v0", "up")
	peerNS.Run("ip", "link", "set", "v1", "up")
	ns.Run("ping", "-c", "3", "-i", "0.2", "-W", "5", "10.9.0.2")
	ns.Run("ip", "link", "set", "v0", "down")
	peerNS.Run("ip", "link", "set", "v1", "down")

	lines, nonZero := 0, 0
	for _, end := range []struct {
		ns        *nstest.NS
		dev, peer string
		peerNS    *nstest.NS
	}{{ns, "v0", "v1", peerNS}, {peerNS, "v1", "v0", ns}} {
		theirs := ethtoolStats(t, end.ns, end.dev)
		ours, err := ethtoolioctl.DriverStats(end.ns.Name, end.dev)
		if err != nil {
			t.Fatalf("DriverStats %s: %v", end.dev, err)
		}
		if len(ours) != len(theirs) {
			t.Errorf("%s: nlsh reads %d statistics, ethtool -S prints %d", end.dev, len(ours), len(theirs))
		}
		for i := range min(len(ours), len(theirs)) {
			checkField(t, "driver_stats "+end.dev, "#"+strconv.Itoa(i)+" name", ours[i].Name, theirs[i].Name)
			checkField(t, "driver_stats "+end.dev, theirs[i].Name, ours[i].Value, theirs[i].Value)
			lines++
			if ours[i].Name != "peer_ifindex" && ours[i].Value != uint64(0) {
				nonZero++
			}
		}
		// The first line is the peer's ifindex, in the peer's namespace.
		peer, err := strconv.ParseUint(strings.TrimSpace(end.peerNS.Run("cat", "/sys/class/net/"+end.peer+"/ifindex")), 10, 64)
		if err != nil || len(ours) == 0 || ours[0] != (schema.MapEntry{Name: "peer_ifindex", Value: peer}) {
			t.Errorf("%s: %v, want peer_ifindex %d (%v) first", end.dev, ours, peer, err)
		}
	}
	if lines < 20 {
		t.Errorf("compared %d lines of ethtool -S, want the 10 of each end at least", lines)
	}
	if nonZero == 0 {
		t.Error("every counter is zero: the pings did not go through v0's NAPI queue, so values went untested")
	}
	t.Logf("compared %d lines of ethtool -S, %d of them nonzero counters", lines, nonZero)

	// lo has no driver statistics: ethtool says so, we fail with EOPNOTSUPP.
	if out, err := ns.Try("ethtool", "-S", "lo"); err == nil || !strings.Contains(err.Error(), "no stats available") {
		t.Errorf("ethtool -S lo: %q, %v", out, err)
	}
	if m, err := ethtoolioctl.DriverStats(ns.Name, "lo"); !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("DriverStats lo: %v, %v; want EOPNOTSUPP", m, err)
	}
}
