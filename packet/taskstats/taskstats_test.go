package taskstats_test

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/testgenl"
	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

// TestLayoutMatchesUnix: the newest layout puts every member where
// golang.org/x/sys/unix's Taskstats, generated from the same header by
// the C compiler, has it, and is as long.
func TestLayoutMatchesUnix(t *testing.T) {
	if taskstats.Version != unix.TASKSTATS_VERSION {
		t.Errorf("Version %d, unix.TASKSTATS_VERSION %d", taskstats.Version, unix.TASKSTATS_VERSION)
	}
	def := taskstats.Layout(taskstats.Version)
	if size := int(unsafe.Sizeof(unix.Taskstats{})); def.Size != size {
		t.Errorf("layout size %d, sizeof(unix.Taskstats) %d", def.Size, size)
	}
	typ := reflect.TypeOf(unix.Taskstats{})
	checked := 0
	check := func(name string, off, size int) {
		f := def.Field(name)
		if f == nil {
			t.Errorf("%s: missing from the layout", name)
			return
		}
		got := f.Kind.Size()
		if got == 0 {
			got = f.Len
		}
		if f.Offset != off || got != size {
			t.Errorf("%s: offset %d size %d, unix has %d and %d", name, f.Offset, got, off, size)
		}
		checked++
	}
	for i := range typ.NumField() {
		sf := typ.Field(i)
		if sf.Name == "_" || sf.Name == "Ac_pad" {
			continue
		}
		name := strings.ToLower(sf.Name)
		if sf.Type == reflect.TypeOf(unix.KernelTimespec{}) {
			check(name+"_sec", int(sf.Offset), 8)
			check(name+"_nsec", int(sf.Offset)+8, 8)
			continue
		}
		check(name, int(sf.Offset), int(sf.Type.Size()))
	}
	if checked != len(def.Fields) {
		t.Errorf("checked %d members, the layout has %d", checked, len(def.Fields))
	}
}

// TestLayoutVersions checks each version's layout against offsets written
// out by hand from taskstats.h's history.
func TestLayoutVersions(t *testing.T) {
	tests := []struct {
		version uint16
		size    int
		at      map[string]int // member: offset
		absent  []string
	}{
		{14, 432, map[string]int{"ac_comm": 80, "ac_uid": 120, "nvcsw": 272, "ac_btime64": 344, "ac_tgid": 368, "ac_tgetime": 376, "irq_delay_total": 424},
			[]string{"cpu_delay_max", "irq_delay_min"}},
		// Version 15 put max and min after each total: 3 categories
		// (48 bytes) before ac_comm, 8 (128) before the end.
		{15, 560, map[string]int{"cpu_delay_max": 32, "cpu_delay_min": 40, "blkio_count": 48, "ac_comm": 128, "ac_uid": 168,
			"nvcsw": 320, "freepages_delay_max": 376, "irq_delay_total": 536, "irq_delay_min": 552}, []string{"cpu_delay_max_ts_sec"}},
		{16, 560, map[string]int{"ac_comm": 80, "nvcsw": 272, "irq_delay_total": 424, "cpu_delay_max": 432, "irq_delay_min": 552},
			[]string{"cpu_delay_max_ts_sec"}},
		{17, 688, map[string]int{"cpu_delay_max_ts_sec": 560, "cpu_delay_max_ts_nsec": 568, "irq_delay_max_ts_nsec": 680}, nil},
		{99, 688, map[string]int{"ac_comm": 80, "irq_delay_max_ts_nsec": 680}, nil},
		{10, 352, map[string]int{"ac_btime64": 344}, []string{"compact_count", "ac_tgid"}},
		{12, 400, map[string]int{"ac_exe_inode": 392}, []string{"wpcopy_count"}},
	}
	for _, tt := range tests {
		def := taskstats.Layout(tt.version)
		if def.Size != tt.size {
			t.Errorf("v%d: size %d, want %d", tt.version, def.Size, tt.size)
		}
		for name, off := range tt.at {
			if f := def.Field(name); f == nil || f.Offset != off {
				t.Errorf("v%d: %s at %v, want %d", tt.version, name, f, off)
			}
		}
		for _, name := range tt.absent {
			if def.Field(name) != nil {
				t.Errorf("v%d: has %s", tt.version, name)
			}
		}
	}
}

// TestRequestBytes checks requests against bytes written out by hand:
// genlmsghdr (cmd, version 1), then TASKSTATS_CMD_ATTR_PID (1) or _TGID
// (2), or CGROUPSTATS_CMD_ATTR_FD (1), each a u32.
func TestRequestBytes(t *testing.T) {
	const nlmsghdr = "1c000000" + "1f00" + "0100" + "00000000" + "00000000"
	tests := []struct {
		op     *genl.Operation
		fields schema.Fields
		want   string
	}{
		{taskstats.Get, schema.Fields{"pid": 1234}, nlmsghdr + "01010000" + "08000100" + "d2040000"},
		{taskstats.Get, schema.Fields{"tgid": 1}, nlmsghdr + "01010000" + "08000200" + "01000000"},
		{taskstats.CgroupStats, schema.Fields{"fd": 5}, nlmsghdr + "04010000" + "08000100" + "05000000"},
	}
	for _, tt := range tests {
		testgenl.Check(t, taskstats.Family, tt.op, 0x1f, unix.NLM_F_REQUEST, tt.fields, tt.want)
	}
}

// stats16 returns a version-16 struct taskstats (560 bytes) with members
// set at offsets written out by hand.
func stats16(version uint16) []byte {
	b := make([]byte, 560)
	binary.NativeEndian.PutUint16(b[0:], version)
	binary.NativeEndian.PutUint32(b[4:], 9)     // ac_exitcode
	b[8] = 0x20                                 // ac_flag
	binary.NativeEndian.PutUint64(b[16:], 41)   // cpu_count
	binary.NativeEndian.PutUint64(b[24:], 4100) // cpu_delay_total
	copy(b[80:], "sleep")                       // ac_comm
	binary.NativeEndian.PutUint32(b[120:], 1000)
	binary.NativeEndian.PutUint32(b[124:], 100)
	binary.NativeEndian.PutUint32(b[128:], 4321) // ac_pid
	binary.NativeEndian.PutUint32(b[132:], 1)    // ac_ppid
	binary.NativeEndian.PutUint32(b[136:], 7e8)  // ac_btime
	binary.NativeEndian.PutUint64(b[272:], 12)   // nvcsw
	binary.NativeEndian.PutUint64(b[280:], 3)    // nivcsw
	binary.NativeEndian.PutUint64(b[344:], 7e8)  // ac_btime64
	binary.NativeEndian.PutUint32(b[368:], 4320) // ac_tgid
	binary.NativeEndian.PutUint64(b[432:], 900)  // cpu_delay_max in v16
	binary.NativeEndian.PutUint64(b[552:], 77)   // irq_delay_min in v16
	return b
}

func reply(cmd uint8, aggr uint16, id uint16, idVal uint32, stats []byte) []byte {
	e := packet.NewEncoder(nil)
	e.Append([]byte{cmd, 1, 0, 0})
	n := e.BeginNested(aggr)
	e.Uint32(id, idVal)
	e.Attr(unix.TASKSTATS_TYPE_STATS, stats)
	e.EndNested(n)
	return e.Bytes()
}

// checkFields checks that v reads each field of want as its value, and
// has none of the fields of none.
func checkFields(t *testing.T, name string, v *schema.View, want map[string]any, none []string) {
	t.Helper()
	for field, w := range want {
		if got, ok, err := v.Get(field); !ok || err != nil || got != w {
			t.Errorf("%s: %s = %v (%T), %v, %v; want %v", name, field, got, got, ok, err, w)
		}
	}
	for _, field := range none {
		if got, ok, _ := v.Get(field); ok {
			t.Errorf("%s: %s = %v, want absent", name, field, got)
		}
	}
}

// TestReplies decodes TASKSTATS_CMD_NEW replies built by hand.
func TestReplies(t *testing.T) {
	v15 := stats16(15)
	// Version 15's cpu_delay_max sits at 32, its ac_comm at 128.
	binary.NativeEndian.PutUint64(v15[32:], 555)
	copy(v15[128:], "v15comm")
	tests := []struct {
		name string
		msg  []byte
		want map[string]any
		none []string
	}{
		{"pid v16", reply(unix.TASKSTATS_CMD_NEW, unix.TASKSTATS_TYPE_AGGR_PID, unix.TASKSTATS_TYPE_PID, 4321, stats16(16)),
			map[string]any{"pid": uint64(4321), "taskstats_version": uint64(16), "ac_exitcode": uint64(9), "ac_flag": uint64(0x20),
				"cpu_count": uint64(41), "cpu_delay_total": uint64(4100), "ac_comm": "sleep", "ac_uid": uint64(1000), "ac_gid": uint64(100),
				"ac_pid": uint64(4321), "ac_ppid": uint64(1), "ac_btime": uint64(7e8), "nvcsw": uint64(12), "nivcsw": uint64(3),
				"ac_btime64": uint64(7e8), "ac_tgid": uint64(4320), "cpu_delay_max": uint64(900), "irq_delay_min": uint64(77)},
			[]string{"tgid", "cpu_delay_max_ts_sec"}},
		{"tgid v16", reply(unix.TASKSTATS_CMD_NEW, unix.TASKSTATS_TYPE_AGGR_TGID, unix.TASKSTATS_TYPE_TGID, 4320, stats16(16)),
			map[string]any{"tgid": uint64(4320), "ac_comm": "sleep"}, []string{"pid"}},
		{"v15 layout", reply(unix.TASKSTATS_CMD_NEW, unix.TASKSTATS_TYPE_AGGR_PID, unix.TASKSTATS_TYPE_PID, 4321, v15),
			map[string]any{"taskstats_version": uint64(15), "cpu_delay_max": uint64(555), "ac_comm": "v15comm"}, nil},
		{"older kernel, shorter struct", reply(unix.TASKSTATS_CMD_NEW, unix.TASKSTATS_TYPE_AGGR_PID, unix.TASKSTATS_TYPE_PID, 1, stats16(16)[:200]),
			map[string]any{"ac_comm": "sleep", "ac_pid": uint64(4321)}, []string{"nvcsw", "irq_delay_min"}},
		{"stats too short for a version", reply(unix.TASKSTATS_CMD_NEW, unix.TASKSTATS_TYPE_AGGR_PID, unix.TASKSTATS_TYPE_PID, 1, []byte{16}),
			map[string]any{"pid": uint64(1)}, []string{"taskstats_version", "ac_comm"}},
	}
	for _, tt := range tests {
		v, err := schema.Decode(taskstats.Get.Reply, tt.msg)
		if err != nil {
			t.Fatal(err)
		}
		checkFields(t, tt.name, v, tt.want, tt.none)
		if names := v.Names(); len(names) == 0 || names[0] == "aggr_pid" || names[0] == "aggr_tgid" {
			t.Errorf("%s: fields %v", tt.name, names)
		}
	}
	// The nest's stats, read directly, report a short struct.
	v, _ := schema.Decode(taskstats.Get.Reply, reply(2, 4, 1, 1, []byte{16}))
	n, _, _ := v.Get("aggr_pid")
	if _, _, err := n.(*schema.View).Get("stats"); err == nil || !strings.Contains(err.Error(), "stats") {
		t.Errorf("1-byte stats: %v", err)
	}
}

func TestCgroupStatsReply(t *testing.T) {
	e := packet.NewEncoder(nil)
	e.Append([]byte{unix.CGROUPSTATS_CMD_NEW, 1, 0, 0})
	b := make([]byte, 40)
	for i, n := range []uint64{51, 5, 1, 2, 3} {
		binary.NativeEndian.PutUint64(b[8*i:], n)
	}
	e.Attr(unix.CGROUPSTATS_TYPE_CGROUP_STATS, b)
	v, err := schema.Decode(taskstats.CgroupStats.Reply, e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	j, err := v.MarshalJSON()
	if want := `{"nr_sleeping":51,"nr_running":5,"nr_stopped":1,"nr_uninterruptible":2,"nr_io_wait":3}`; err != nil || string(j) != want {
		t.Errorf("got %s (%v), want %s", j, err, want)
	}
	if int(unsafe.Sizeof(unix.CGroupStats{})) != taskstats.CgroupStatsDef.Size {
		t.Errorf("cgroupstats size %d, unix %d", taskstats.CgroupStatsDef.Size, unsafe.Sizeof(unix.CGroupStats{}))
	}
}

func FuzzTaskstatsDecode(f *testing.F) {
	f.Add(uint8(0), reply(2, 4, 1, 1, stats16(16)))
	f.Add(uint8(0), reply(2, 5, 2, 1, stats16(15)[:300]))
	f.Add(uint8(1), []byte{5, 1, 0, 0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0})
	f.Add(uint8(4), testhex.Decode(f, exitRecord))
	f.Add(uint8(5), testhex.Decode(f, exitRecord))
	var msgs []*schema.Message
	for _, op := range taskstats.Family.Ops {
		msgs = append(msgs, op.Reply, op.Request)
	}
	// 4 and 5 read exit records.
	msgs = append(msgs, taskstats.Exit.Message, taskstats.ExitGroup, taskstats.Register.Request)
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		v, err := schema.Decode(msgs[int(which)%len(msgs)], b)
		if err != nil {
			return
		}
		for _, name := range v.Message().FieldNames() {
			_, _, _ = v.Get(name)
		}
		for _, name := range []string{"aggr_pid", "aggr_tgid", "null", "cgroup_stats"} {
			if n, ok, _ := v.Get(name); ok {
				if nv, isView := n.(*schema.View); isView {
					_ = nv.Names()
					_, _, _ = nv.Get("stats")
				}
			}
		}
		_, _ = v.MarshalJSON()
	})
}

// TestRegisterBytes checks the listener requests against bytes written out
// by hand: genlmsghdr (cmd GET 1, version 1), then
// TASKSTATS_CMD_ATTR_REGISTER_CPUMASK (3) or _DEREGISTER_CPUMASK (4), a
// NUL-terminated cpulist padded to 4 bytes.
func TestRegisterBytes(t *testing.T) {
	tests := []struct {
		fields schema.Fields
		want   string
	}{
		{schema.Fields{"register_cpumask": "0-1"},
			"1c000000" + "1f00" + "0100" + "00000000" + "00000000" + "01010000" + "08000300" + "302d3100"},
		{schema.Fields{"deregister_cpumask": "0-3,8"},
			"20000000" + "1f00" + "0100" + "00000000" + "00000000" + "01010000" + "0a000400" + "302d332c" + "38000000"},
	}
	for _, tt := range tests {
		testgenl.Check(t, taskstats.Family, taskstats.Register, 0x1f, unix.NLM_F_REQUEST, tt.fields, tt.want)
	}
	if taskstats.Family.Op("register") != nil {
		t.Error("register is one of the family's ops: scripts would register their request socket")
	}
}

// exitRecord is an exit record's payload written out by hand: a task that
// was the last of its thread group.
//
//	02 01 0000                genlmsghdr: TASKSTATS_CMD_NEW, version 1
//	2000 0400                 AGGR_PID, 32 bytes
//	  0800 0100 e1100000      PID 4321
//	  1400 0300               STATS, 16 bytes:
//	    1100 0000             version 17
//	    00030000              ac_exitcode 0x300: exit(3)
//	    20 fb 0000 00000000   ac_flag AGROUP, ac_nice -5
//	2800 0500                 AGGR_TGID, 40 bytes
//	  0800 0200 e0100000      TGID 4320
//	  1c00 0300               STATS, 24 bytes: version 0, cpu_count 41 at 16
const exitRecord = "02010000" +
	"20000400" + "08000100" + "e1100000" + "14000300" + "11000000" + "00030000" + "20fb0000" + "00000000" +
	"28000500" + "08000200" + "e0100000" + "1c000300" + "00000000" + "00000000" + "0000000000000000" + "2900000000000000"

// TestExitRecord decodes exit records built by hand: the task's part with
// Exit, the thread group's with ExitGroup.
func TestExitRecord(t *testing.T) {
	withGroup := testhex.Decode(t, exitRecord)
	alone := withGroup[:4+32]
	tests := []struct {
		name  string
		msg   *schema.Message
		b     []byte
		group bool
		want  map[string]any
		none  []string
	}{
		{"task", taskstats.Exit.Message, withGroup, true,
			map[string]any{"pid": uint64(4321), "taskstats_version": uint64(17), "ac_exitcode": uint64(0x300),
				"ac_flag": uint64(0x20), "ac_nice": int64(-5)},
			[]string{"tgid", "ac_comm", "cpu_count"}},
		{"group", taskstats.ExitGroup, withGroup, true,
			map[string]any{"tgid": uint64(4320), "taskstats_version": uint64(0), "cpu_count": uint64(41), "ac_exitcode": uint64(0)},
			[]string{"pid"}},
		{"task alone", taskstats.Exit.Message, alone, false,
			map[string]any{"pid": uint64(4321), "ac_exitcode": uint64(0x300)}, []string{"tgid"}},
		{"no group part", taskstats.ExitGroup, alone, false, nil,
			[]string{"tgid", "pid", "taskstats_version", "cpu_count"}},
	}
	for _, tt := range tests {
		v, err := schema.Decode(tt.msg, tt.b)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := v.Err(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if got := taskstats.HasGroup(v); got != tt.group {
			t.Errorf("%s: HasGroup %v, want %v", tt.name, got, tt.group)
		}
		checkFields(t, tt.name, v, tt.want, tt.none)
	}
	if cmd, _, _ := genl.HeaderOf(withGroup); taskstats.Exit.Cmd != cmd {
		t.Errorf("Exit.Cmd %d, the record's %d", taskstats.Exit.Cmd, cmd)
	}
}
