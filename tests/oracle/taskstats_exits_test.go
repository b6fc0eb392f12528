package oracle

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

// Accounting flags of ac_flag (include/uapi/linux/acct.h).
const (
	acctAXSIG  = 0x10 // killed by a signal
	acctAGROUP = 0x20 // the last task of its thread group
)

// exitListener is a socket registered for the exit records of every online
// CPU, opened in the test process's network namespace: the initial one,
// where the kernel sends them.
type exitListener struct {
	t   *testing.T
	c   *netlink.Conn
	ctx context.Context
	id  uint16
}

func listenExits(t *testing.T) *exitListener {
	t.Helper()
	// Records arrive for every task on the machine while a child is
	// stopped: a large buffer keeps the one we wait for from being lost.
	c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{ReadBufferSize: 8 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	online, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		t.Fatal(err)
	}
	client := genetlink.NewClient(c, nil)
	fam, err := client.Resolver().Family(ctx, taskstats.Family.Name)
	if err != nil {
		t.Fatal(err)
	}
	cpus := strings.TrimSpace(string(online))
	if _, err := client.Do(ctx, taskstats.Family, taskstats.Register, schema.Fields{"register_cpumask": cpus}); err != nil {
		t.Fatalf("register for the exits of CPUs %s: %v", cpus, err)
	}
	t.Cleanup(func() {
		if _, err := client.Do(ctx, taskstats.Family, taskstats.Register, schema.Fields{"deregister_cpumask": cpus}); err != nil {
			t.Errorf("deregister: %v", err)
		}
	})
	return &exitListener{t: t, c: c, ctx: ctx, id: fam.ID}
}

// next reads exit records until match accepts one, and returns it as a View
// of Exit that owns its bytes.
func (l *exitListener) next(what string, match func(*schema.View) bool) *schema.View {
	l.t.Helper()
	for m, err := range l.c.Notifications(l.ctx) {
		if err != nil {
			l.t.Fatalf("waiting for the exit record of %s: %v", what, err)
		}
		if cmd, _, ok := genl.HeaderOf(m.Data); m.Header.Type != l.id || !ok || cmd != taskstats.Exit.Cmd {
			continue
		}
		v, err := schema.Decode(taskstats.Exit.Message, append([]byte(nil), m.Data...))
		if err != nil {
			l.t.Fatalf("decode an exit record: %v", err)
		}
		if match(v) {
			return v
		}
	}
	l.t.Fatalf("no exit record of %s", what)
	return nil
}

// ofPid matches the record of the task pid.
func ofPid(pid int) func(*schema.View) bool {
	return func(v *schema.View) bool { id, _, _ := v.Get("pid"); return id == uint64(pid) }
}

// TestOracleTaskstatsExits compares a child's exit record with what
// /proc/PID/stat and /proc/PID/status said while it was alive, stopped on
// a signal before its exit, and ac_exitcode with the wait status its
// parent reaped; then the record of a child killed by a signal, and the
// thread group part of a multi-threaded child's last record.
func TestOracleTaskstatsExits(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipped: registering for exit records needs CAP_NET_ADMIN")
	}
	l := listenExits(t)

	cmd := exec.Command("sh", "-c", "kill -STOP $$; exit 5")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 1234, Gid: 5678}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	var info unix.Siginfo
	if err := unix.Waitid(unix.P_PID, pid, &info, unix.WSTOPPED|unix.WNOWAIT, nil); err != nil {
		t.Fatal(err)
	}
	if err := unix.Setpriority(unix.PRIO_PROCESS, pid, 7); err != nil {
		t.Fatal(err)
	}
	comm, stat := procStat(t, pid)
	status := procStatus(t, pid)
	var exe unix.Stat_t
	if err := unix.Stat(fmt.Sprintf("/proc/%d/exe", pid), &exe); err != nil {
		t.Fatal(err)
	}
	if err := unix.Kill(pid, unix.SIGCONT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 5 {
		t.Fatalf("child: %v, want exit status 5", err)
	}
	ws := uint64(cmd.ProcessState.Sys().(syscall.WaitStatus))

	v := l.next(fmt.Sprintf("pid %d", pid), ofPid(pid))
	val := func(name string) any {
		x, ok, err := v.Get(name)
		if !ok || err != nil {
			t.Errorf("exit record: %s absent (%v)", name, err)
		}
		return x
	}
	n := 0
	check := func(field string, got, want any) { t.Helper(); checkField(t, "exit record", field, got, want); n++ }
	atLeast := func(field string, got any, floor uint64) {
		t.Helper()
		if g, _ := got.(uint64); g < floor {
			t.Errorf("exit record: %s %v, /proc said %d while it ran", field, got, floor)
		}
		n++
	}
	check("pid", val("pid"), uint64(pid))
	check("tgid", v.Has("tgid"), false)
	check("ac_exitcode", val("ac_exitcode"), ws)
	check("ac_sched", val("ac_sched"), uint64(stat(41)))
	n += checkTaskIdentity(t, "exit record", val, pid, comm, stat, status, exe)
	// What only grows: at its exit, at least what /proc said while it
	// was stopped. Times: /proc's clock ticks, ours µs.
	atLeast("ac_utime", val("ac_utime"), uint64(stat(14))*1e6/userHZ)
	atLeast("ac_stime", val("ac_stime"), uint64(stat(15))*1e6/userHZ)
	atLeast("ac_minflt", val("ac_minflt"), uint64(stat(10)))
	atLeast("ac_majflt", val("ac_majflt"), uint64(stat(12)))
	atLeast("nvcsw", val("nvcsw"), atoi(t, status["voluntary_ctxt_switches"]))
	atLeast("nivcsw", val("nivcsw"), atoi(t, status["nonvoluntary_ctxt_switches"]))
	// hiwater_rss is not compared: the kernel reads the RSS counters
	// approximately at exit (per-CPU counters) and exactly for /proc.
	if f := val("ac_flag").(uint64); f&acctAXSIG != 0 {
		t.Errorf("ac_flag %#x: AXSIG, but it exited", f)
	}
	n++
	t.Logf("compared %d fields of the exit record with /proc and the wait status %#x", n, ws)

	testExitBySignal(t, l)
	testExitOfThreadGroup(t, l)
}

// testExitBySignal: a child killed by SIGKILL exits with the signal as its
// status, and AXSIG in its flags.
func testExitBySignal(t *testing.T, l *exitListener) {
	cmd := exec.Command("sleep", "1000")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("sleep: %v, want killed by SIGKILL", cmd.ProcessState)
	}
	v := l.next(fmt.Sprintf("killed pid %d", pid), ofPid(pid))
	if got, _, _ := v.Get("ac_exitcode"); got != uint64(ws) {
		t.Errorf("killed: ac_exitcode %v, wait status %#x", got, uint32(ws))
	}
	if got, _, _ := v.Get("ac_flag"); got.(uint64)&acctAXSIG == 0 {
		t.Errorf("killed: ac_flag %#x, want AXSIG", got)
	}
	if got, _, _ := v.Get("ac_comm"); got != "sleep" {
		t.Errorf("killed: ac_comm %v", got)
	}
}

// testExitOfThreadGroup runs this test binary again, running no test: a
// Go program, whose runtime starts threads. The record of the last of its
// threads to exit carries the group's part, tgid its pid, and AGROUP.
func testExitOfThreadGroup(t *testing.T, l *exitListener) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", os.Args[0], err, out)
	}
	pid := cmd.Process.Pid
	threads := 0
	v := l.next(fmt.Sprintf("the thread group %d", pid), func(v *schema.View) bool {
		if tg, _, _ := v.Get("ac_tgid"); tg == uint64(pid) {
			threads++
			return taskstats.HasGroup(v)
		}
		return false
	})
	g, err := schema.Decode(taskstats.ExitGroup, v.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if tgid, _, _ := g.Get("tgid"); tgid != uint64(pid) {
		t.Errorf("group part: tgid %v, want %d", tgid, pid)
	}
	if got, _, _ := v.Get("ac_flag"); got.(uint64)&acctAGROUP == 0 {
		t.Errorf("last thread: ac_flag %#x, want AGROUP", got)
	}
	// The group's part holds sums, not a task's identity.
	for field, want := range map[string]any{"ac_comm": "", "ac_pid": uint64(0), "ac_uid": uint64(0)} {
		if got, ok, _ := g.Get(field); !ok || got != want {
			t.Errorf("group part: %s %v, want %v", field, got, want)
		}
	}
	version, _, _ := g.Get("taskstats_version")
	nvcsw, _, _ := g.Get("nvcsw")
	t.Logf("thread group %d: %d records, the last with the group's part (version %v, nvcsw %v)", pid, threads, version, nvcsw)
	if threads < 2 {
		t.Errorf("thread group %d: %d records before the group's part, want one per thread", pid, threads)
	}
}
