package taskstats

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// member is one member of struct taskstats in declaration order, as
// include/uapi/linux/taskstats.h lays it out.
type member struct {
	name string
	kind schema.Kind
	// size is the byte size of a String member (ac_comm).
	size int
	// align8 marks the members the header declares aligned(8).
	align8 bool
	// since is the first struct version that carries the member, where
	// the header marks it (version 10 on); 0 for the earlier members,
	// which are present when the struct is long enough for them.
	since uint16
	doc   string
}

func u64(name, doc string) member { return member{name: name, kind: schema.U64, doc: doc} }

// delay returns the count and total of a delay accounting category.
func delay(what, doc string) []member {
	return []member{
		u64(what+"_count", "delays waiting for "+doc),
		u64(what+"_delay_total", "total delay waiting for "+doc+", in ns"),
	}
}

// delayExtremes returns the max and min of a delay category (version 15
// placed them after its total, version 16 at the end of the struct).
func delayExtremes(what string) []member {
	return []member{u64(what+"_delay_max", "the longest "+what+" delay, in ns"), u64(what+"_delay_min", "the shortest "+what+" delay, in ns")}
}

// delayCategories are the delay accounting categories in struct order.
var delayCategories = []string{"cpu", "blkio", "swapin", "freepages", "thrashing", "compact", "wpcopy", "irq"}

func since(v uint16, ms []member) []member {
	for i := range ms {
		ms[i].since = v
	}
	return ms
}

// members lists struct taskstats for a layout: version 15 put each delay
// category's max and min right after its total, which moved every later
// member; version 16 moved them to the end, restoring the old offsets.
func members(v15 bool) []member {
	cat := func(what, doc string) []member {
		ms := delay(what, doc)
		if v15 {
			ms = append(ms, since(15, delayExtremes(what))...)
		}
		return ms
	}
	var ms []member
	add := func(m ...member) { ms = append(ms, m...) }
	add(member{name: "version", kind: schema.U16, doc: "the struct's version"},
		member{name: "ac_exitcode", kind: schema.U32, doc: "exit status"},
		member{name: "ac_flag", kind: schema.U8, doc: "accounting flags (AFORK, ASU, ACORE, AXSIG, AGROUP)"},
		member{name: "ac_nice", kind: schema.S8, doc: "nice value, -20 to 19 (a __u8 holding task_nice())"})
	cpu := cat("cpu", "a CPU while runnable")
	cpu[0].align8 = true
	add(cpu...)
	add(cat("blkio", "synchronous block I/O")...)
	add(cat("swapin", "swap-in page faults")...)
	add(u64("cpu_run_real_total", "CPU wall-clock running time, in ns"),
		u64("cpu_run_virtual_total", "CPU virtual running time, in ns"))
	// Version 1 ends here.
	add(member{name: "ac_comm", kind: schema.String, size: 32, doc: "command name"},
		member{name: "ac_sched", kind: schema.U8, align8: true, doc: "scheduling discipline"},
		member{name: "ac_uid", kind: schema.U32, align8: true, doc: "user id"},
		member{name: "ac_gid", kind: schema.U32, doc: "group id"},
		member{name: "ac_pid", kind: schema.U32, doc: "process id"},
		member{name: "ac_ppid", kind: schema.U32, doc: "parent process id"},
		member{name: "ac_btime", kind: schema.U32, doc: "begin time, seconds since 1970"},
		member{name: "ac_etime", kind: schema.U64, align8: true, doc: "elapsed time, in µs"},
		u64("ac_utime", "user CPU time, in µs"), u64("ac_stime", "system CPU time, in µs"),
		u64("ac_minflt", "minor page faults"), u64("ac_majflt", "major page faults"),
		u64("coremem", "accumulated RSS usage, in MB·µs"), u64("virtmem", "accumulated VM usage, in MB·µs"),
		u64("hiwater_rss", "high-water RSS, in KB"), u64("hiwater_vm", "high-water VM, in KB"),
		u64("read_char", "bytes read"), u64("write_char", "bytes written"),
		u64("read_syscalls", "read syscalls"), u64("write_syscalls", "write syscalls"),
		u64("read_bytes", "bytes of read I/O"), u64("write_bytes", "bytes of write I/O"),
		u64("cancelled_write_bytes", "bytes of cancelled write I/O"),
		u64("nvcsw", "voluntary context switches"), u64("nivcsw", "involuntary context switches"),
		u64("ac_utimescaled", "scaled user time"), u64("ac_stimescaled", "scaled system time"),
		u64("cpu_scaled_run_real_total", "scaled cpu_run_real_total"))
	add(cat("freepages", "memory reclaim")...)
	add(cat("thrashing", "thrashing pages")...)
	add(since(10, []member{u64("ac_btime64", "begin time, seconds since 1970, 64-bit")})...)
	add(since(11, cat("compact", "memory compaction"))...)
	add(since(12, []member{
		{name: "ac_tgid", kind: schema.U32, doc: "thread group id"},
		{name: "ac_tgetime", kind: schema.U64, align8: true, doc: "thread group wall time, in µs"},
		u64("ac_exe_dev", "the program binary's device"), u64("ac_exe_inode", "the program binary's inode"),
	})...)
	add(since(13, cat("wpcopy", "write-protect copies"))...)
	add(since(14, cat("irq", "IRQ/softirq"))...)
	if v15 {
		return ms
	}
	for _, c := range delayCategories {
		add(since(16, delayExtremes(c))...)
	}
	for _, c := range delayCategories {
		add(since(17, []member{
			{name: c + "_delay_max_ts_sec", kind: schema.S64, doc: "when the longest " + c + " delay was, seconds"},
			{name: c + "_delay_max_ts_nsec", kind: schema.S64, doc: "and nanoseconds"},
		})...)
	}
	return ms
}

// layout places members at their C offsets: each at its natural alignment
// or 8 where the header says aligned(8), the struct's size a multiple of 8.
func layout(name string, ms []member, version uint16) *schema.StructDef {
	def := &schema.StructDef{Name: name}
	off := 0
	for _, m := range ms {
		size, align := m.kind.Size(), m.kind.Size()
		if m.kind == schema.String {
			size, align = m.size, 1
		}
		if m.align8 {
			align = 8
		}
		off = (off + align - 1) / align * align
		if m.since <= version {
			def.Fields = append(def.Fields, schema.Field{Name: m.name, Offset: off, Kind: m.kind, Len: size, Doc: m.doc})
			def.Size = off + size
		}
		off += size
	}
	def.Size = (def.Size + 7) / 8 * 8
	return def
}

// Version is TASKSTATS_VERSION of the newest layout this package knows.
const Version = 17

// layouts makes the struct's layout for each version up to Version on
// first use: a kernel reports one version, and building all of them cost
// every interpreter's start-up.
var layouts = func() (l [Version + 1]func() *schema.StructDef) {
	for v := range l {
		l[v] = sync.OnceValue(func() *schema.StructDef {
			return layout("taskstats", members(v == 15), uint16(v))
		})
	}
	return l
}()

// Layout returns the layout of struct taskstats at the version the kernel
// reports in its first member: the members that version carries, at their
// offsets. A version newer than Version reads as Version, whose members
// a newer kernel keeps where they are.
func Layout(version uint16) *schema.StructDef {
	return layouts[min(int(version), Version)]()
}

// statsCodec reads TASKSTATS_TYPE_STATS by the layout of the version it
// carries.
type statsCodec struct{}

func (statsCodec) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) < 2 {
		return nil, &packet.SizeError{Type: typeStats, As: "struct taskstats", Want: 2, Got: len(b)}
	}
	return schema.StructView(Layout(binary.NativeEndian.Uint16(b)), b), nil
}

func (statsCodec) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("struct taskstats is reported by the kernel and cannot be sent")
}
