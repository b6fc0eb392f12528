package netlink_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
)

// TestNotificationsUnicast: a request made on a subscription's socket
// before its loop reads its own reply, and the messages the kernel then
// unicasts to the socket unprompted are yielded. TASKSTATS sends them: a
// socket registered for every CPU gets the statistics of each task that
// exits. The kernel unicasts them in the initial network namespace, which
// is the test process's own.
func TestNotificationsUnicast(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipped: registering for TASKSTATS exits needs CAP_NET_ADMIN")
	}
	c, err := netlink.Dial(unix.NETLINK_GENERIC, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	fam, err := genetlink.NewResolver(c).Family(ctx, unix.TASKSTATS_GENL_NAME)
	if err != nil {
		t.Fatal(err)
	}
	var e packet.Encoder
	e.BeginMessage(fam.ID, 0)
	e.Append([]byte{unix.TASKSTATS_CMD_GET, unix.TASKSTATS_GENL_VERSION, 0, 0})
	e.String(unix.TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, fmt.Sprintf("0-%d", runtime.NumCPU()-1))
	e.EndMessage()
	if _, err := c.Execute(ctx, e.Bytes()); err != nil {
		var pe *packet.Error
		if errors.As(err, &pe) && pe.Errno == unix.EINVAL {
			t.Skipf("skipped: the kernel takes exit listeners only from the initial user and PID namespaces: %v", err)
		}
		t.Fatal(err)
	}

	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	pid := uint32(cmd.Process.Pid)
	for m, err := range c.Notifications(ctx) {
		if err != nil {
			t.Fatalf("no exit record for pid %d: %v", pid, err)
		}
		if m.Header.Type != fam.ID || len(m.Data) < unix.GENL_HDRLEN || m.Data[0] != unix.TASKSTATS_CMD_NEW {
			continue
		}
		// AGGR_PID { PID, STATS }: the PID is the nest's first attribute.
		s := packet.NewAttrScanner(m.Data[unix.GENL_HDRLEN:])
		if !s.Next() || s.Attr().Type != unix.TASKSTATS_TYPE_AGGR_PID {
			continue
		}
		in := s.Attr().Attrs()
		if !in.Next() || in.Attr().Type != unix.TASKSTATS_TYPE_PID {
			continue
		}
		if got, err := in.Attr().Uint32(); err == nil && got == pid {
			if m.Header.Pid != 0 {
				t.Errorf("exit record from port %d, want the kernel's 0", m.Header.Pid)
			}
			return
		}
	}
}
