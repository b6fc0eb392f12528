package oracle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

// procStat reads /proc/PID/stat: the command name, then the fields after
// it, numbered as proc(5) numbers them (3 is the state).
func procStat(t *testing.T, pid int) (comm string, field func(n int) int64) {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	rest := strings.Fields(s[end+1:])
	return s[open+1 : end], func(n int) int64 {
		v, err := strconv.ParseInt(rest[n-3], 10, 64)
		if err != nil {
			t.Fatalf("/proc/%d/stat field %d: %v", pid, n, err)
		}
		return v
	}
}

// procStatus reads the "Name:\tvalue" lines of /proc/PID/status.
func procStatus(t *testing.T, pid int) map[string]string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

func atoi(t *testing.T, s string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(strings.Fields(s + " ")[0], 10, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// bootTime is /proc/stat's btime, in seconds since 1970.
func bootTime(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			return int64(atoi(t, v))
		}
	}
	t.Fatal("/proc/stat has no btime")
	return 0
}

// userHZ is USER_HZ, the unit of /proc/PID/stat's times on every
// architecture Linux runs Go on.
const userHZ = 100

// checkTaskIdentity compares the members of a single-threaded task's
// statistics (val reads them) that say which task it is with what /proc
// said of the task pid: its stat (comm, and fields by number), its status
// and its executable. It returns how many it compared.
func checkTaskIdentity(t *testing.T, what string, val func(string) any, pid int, comm string, stat func(int) int64, status map[string]string, exe unix.Stat_t) int {
	t.Helper()
	n := 0
	check := func(field string, got, want any) { t.Helper(); checkField(t, what, field, got, want); n++ }
	check("ac_pid", val("ac_pid"), uint64(pid))
	check("ac_tgid", val("ac_tgid"), uint64(pid))
	check("ac_ppid", val("ac_ppid"), uint64(stat(4)))
	check("ac_comm", val("ac_comm"), comm)
	check("ac_uid", val("ac_uid"), atoi(t, status["Uid"]))
	check("ac_gid", val("ac_gid"), atoi(t, status["Gid"]))
	check("ac_nice", val("ac_nice"), stat(19))
	check("ac_exe_inode", val("ac_exe_inode"), exe.Ino)
	check("ac_exe_dev", val("ac_exe_dev"), exe.Dev)
	// /proc counts the start in clock ticks since boot; taskstats in
	// seconds since 1970, rounded its own way.
	btime := bootTime(t) + stat(22)/userHZ
	if got := int64(val("ac_btime").(uint64)); got < btime-1 || got > btime+1 {
		t.Errorf("%s: ac_btime %d, /proc says %d", what, got, btime)
	}
	n++
	check("ac_btime64", val("ac_btime64"), val("ac_btime"))
	return n
}

// TestOracleTaskstats reads a child's statistics through TASKSTATS from a
// private network namespace and compares them with /proc/PID/stat and
// /proc/PID/status; then a cgroup's counts of its tasks by state.
func TestOracleTaskstats(t *testing.T) {
	ns := nstest.New(t)
	cmd := exec.Command("sleep", "1000")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 1234, Gid: 5678}}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if err := unix.Setpriority(unix.PRIO_PROCESS, pid, 7); err != nil {
		t.Fatal(err)
	}

	client := genlClient(t, ns) // any genl family's client in ns
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	get := func(f schema.Fields) *schema.View {
		t.Helper()
		views, err := client.Do(ctx, taskstats.Family, taskstats.Get, f)
		if err != nil {
			t.Fatalf("taskstats %v: %v", f, err)
		}
		if len(views) != 1 {
			t.Fatalf("taskstats %v: %d replies", f, len(views))
		}
		return views[0]
	}

	before := procStatus(t, pid)
	v := get(schema.Fields{"pid": pid})
	after := procStatus(t, pid)
	comm, stat := procStat(t, pid)
	val := func(name string) any {
		x, ok, err := v.Get(name)
		if !ok || err != nil {
			t.Errorf("taskstats: %s absent (%v)", name, err)
		}
		return x
	}

	// The struct is as long as its version says: unix.Taskstats's size
	// when the kernel is at unix's version, at least the members we know
	// for that version otherwise.
	st, ok := taskstats.Stats(v)
	if !ok {
		t.Fatal("no struct taskstats in the reply")
	}
	version := val("taskstats_version").(uint64)
	size := len(st.Header())
	switch {
	case version == unix.TASKSTATS_VERSION && size != int(unsafe.Sizeof(unix.Taskstats{})):
		t.Errorf("version %d struct of %d bytes, unix.Taskstats has %d", version, size, unsafe.Sizeof(unix.Taskstats{}))
	case size < taskstats.Layout(uint16(version)).Size:
		t.Errorf("version %d struct of %d bytes, shorter than the %d its members take", version, size, taskstats.Layout(uint16(version)).Size)
	}
	t.Logf("kernel taskstats version %d, %d bytes", version, size)

	n := 0
	check := func(field string, got, want any) { t.Helper(); checkField(t, "taskstats", field, got, want); n++ }
	check("pid", val("pid"), uint64(pid))
	var exe unix.Stat_t
	if err := unix.Stat(fmt.Sprintf("/proc/%d/exe", pid), &exe); err != nil {
		t.Fatal(err)
	}
	n += checkTaskIdentity(t, "taskstats", val, pid, comm, stat, before, exe)
	if val("ac_uid") != uint64(1234) || val("ac_gid") != uint64(5678) || val("ac_nice") != int64(7) {
		t.Errorf("uid %v gid %v nice %v, want the child's 1234, 5678, 7", val("ac_uid"), val("ac_gid"), val("ac_nice"))
	}
	// Context switches only grow: ours lie between /proc's before and after.
	for ours, theirs := range map[string]string{"nvcsw": "voluntary_ctxt_switches", "nivcsw": "nonvoluntary_ctxt_switches"} {
		got := val(ours).(uint64)
		if lo, hi := atoi(t, before[theirs]), atoi(t, after[theirs]); got < lo || got > hi {
			t.Errorf("%s %d, /proc says %d before and %d after", ours, got, lo, hi)
		}
		n++
	}

	// The thread group: one thread, so its sums are the task's.
	g := get(schema.Fields{"tgid": pid})
	if id, _, _ := g.Get("tgid"); id != uint64(pid) {
		t.Errorf("tgid reply for %d: tgid %v", pid, id)
	}
	if got, _, _ := g.Get("nvcsw"); got.(uint64) < atoi(t, before["voluntary_ctxt_switches"]) {
		t.Errorf("tgid nvcsw %v, /proc says %s", got, before["voluntary_ctxt_switches"])
	}
	t.Logf("compared %d fields with /proc", n)

	// A task that does not exist: ESRCH.
	_, err := client.Do(ctx, taskstats.Family, taskstats.Get, schema.Fields{"pid": 4194311})
	var pe *packet.Error
	if !errors.As(err, &pe) || pe.Errno != unix.ESRCH {
		t.Errorf("taskstats of no task: %v, want ESRCH", err)
	}

	testCgroupStats(t, ctx, client, cmd)
}

// testCgroupStats moves the child, stopped, into a cgroup of its own and
// reads the cgroup's counts: one task, stopped.
func testCgroupStats(t *testing.T, ctx context.Context, client *genetlink.Client, cmd *exec.Cmd) {
	root := "/sys/fs/cgroup/pids"
	var fs unix.Statfs_t
	if err := unix.Statfs(root, &fs); err != nil || fs.Type != unix.CGROUP_SUPER_MAGIC {
		t.Logf("skipping cgroupstats: no cgroup v1 pids hierarchy at %s (CGROUPSTATS reads only v1)", root)
		return
	}
	dir := filepath.Join(root, fmt.Sprintf("nlsh-oracle-%d", os.Getpid()))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if err := os.Remove(dir); err != nil {
			t.Errorf("remove %s: %v", dir, err)
		}
	})
	pid := cmd.Process.Pid
	if err := os.WriteFile(filepath.Join(dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
		t.Fatal(err)
	}
	if err := unix.Kill(pid, unix.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	// Wait until it is stopped; WNOWAIT leaves the state for Wait.
	var info unix.Siginfo
	if err := unix.Waitid(unix.P_PID, pid, &info, unix.WSTOPPED|unix.WNOWAIT, nil); err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	views, err := client.Do(ctx, taskstats.Family, taskstats.CgroupStats, schema.Fields{"fd": fd})
	if err != nil || len(views) != 1 {
		t.Fatalf("cgroupstats: %d replies, %v", len(views), err)
	}
	want := map[string]uint64{"nr_sleeping": 0, "nr_running": 0, "nr_stopped": 1, "nr_uninterruptible": 0, "nr_io_wait": 0}
	for name, w := range want {
		got, ok, err := views[0].Get(name)
		if !ok || err != nil || got != w {
			t.Errorf("cgroupstats: %s = %v (%v), want %d", name, got, err, w)
		}
	}
}
