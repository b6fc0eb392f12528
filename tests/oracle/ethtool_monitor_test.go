package oracle

import (
	"bufio"
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestOracleEthtoolMonitor receives the notification of a features change
// beside `ethtool --monitor`, names its compact bitsets with NameBits from
// the kernel's string sets, and compares it with the listing ethtool
// prints for the same notification, feature by feature.
func TestOracleEthtoolMonitor(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "g0", "type", "veth", "peer", "g1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// ethtool --monitor, line by line (stdbuf: its output is a pipe).
	mon := exec.CommandContext(ctx, "ip", "netns", "exec", ns.Name, "stdbuf", "-oL", "ethtool", "--monitor")
	out, err := mon.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := mon.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cancel(); _ = mon.Wait() }()
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	next := func() string {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("ethtool --monitor ended")
			}
			return l
		case <-ctx.Done():
			t.Fatal("ethtool --monitor printed nothing in time")
		}
		return ""
	}
	for next() != "listening..." {
	}

	// Ours: a subscription of its own to the family's monitor group.
	c := genlClient(t, ns)
	fam, err := c.Resolver().Family(ctx, ethtool.Family.Name)
	if err != nil {
		t.Fatal(err)
	}
	group, ok := fam.Group(unix.ETHTOOL_MCGRP_MONITOR_NAME)
	if !ok {
		t.Fatalf("ethtool has no %q group", unix.ETHTOOL_MCGRP_MONITOR_NAME)
	}
	sub, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := sub.JoinGroup(group); err != nil {
		t.Fatal(err)
	}

	ns.Run("ethtool", "-K", "g0", "gro", "on")

	var payload []byte
	for m, err := range sub.Notifications(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if cmd, _, ok := genl.HeaderOf(m.Data); ok && m.Header.Type == fam.ID && cmd == unix.ETHTOOL_MSG_FEATURES_NTF {
			payload = bytes.Clone(m.Data)
			break
		}
	}
	names := func(set, dev uint32) ([]string, error) {
		views, err := c.Do(ctx, ethtool.Family, ethtool.StrSet, ethtool.StringSetRequest(set, dev))
		if err != nil {
			return nil, err
		}
		return ethtool.StringSetOf(views)
	}
	named, err := ethtool.NameBits(ethtool.Features.Reply, payload, names)
	if err != nil {
		t.Fatal(err)
	}
	v, err := schema.Decode(ethtool.Features.Reply, named)
	if err != nil {
		t.Fatal(err)
	}
	ours := featuresOf(t, v)
	if !ours.active["rx-gro"] {
		t.Errorf("the notification of gro on has active %v", ours.active)
	}

	// Theirs: the listing after "Features for g0:", up to the heading of
	// the next notification, which a channels change makes.
	ns.Run("ethtool", "-L", "g0", "rx", "2")
	for next() != "Features for g0:" {
	}
	var theirs []string
	for l := next(); !strings.HasPrefix(l, "Channel parameters for g0"); l = next() {
		theirs = append(theirs, l)
	}
	if n := compareFeatureLines(t, strings.Join(theirs, "\n"), ours, "g0"); n < 50 {
		t.Errorf("compared %d feature lines, want every one of ethtool's (%d)", n, len(theirs))
	}
}
