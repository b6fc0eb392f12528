// Package taskstats is the schema of the TASKSTATS generic netlink family
// (include/uapi/linux/taskstats.h, kernel/taskstats.c): a task's or a
// thread group's accounting and delay statistics, as getdelays reads
// them, and a cgroup's task counts by state (CGROUPSTATS). It is tables
// only; netlink/genetlink sends them.
//
// TASKSTATS_CMD_GET names a task by PID or a thread group by TGID:
//
//	schema.Fields{"pid": 1234}
//
// and the kernel answers with a nest (AGGR_PID or AGGR_TGID) holding the
// id and a struct taskstats. The reply's fields lift both out of the nest:
// pid or tgid, then every member of the struct (ac_comm, ac_uid, nvcsw,
// cpu_delay_total, ...), named as the header names them, except that the
// struct's version reads as taskstats_version: version is genlmsghdr's.
//
// A socket that sends [Register] with a list of CPUs then receives,
// unasked, the [Exit] record of every task that exits on one of them, as
// getdelays -l -m 0-3 reads them:
//
//	schema.Fields{"register_cpumask": "0-3"}
//
// An exit record reads like a get's reply: [Exit] lifts out the task's
// statistics, and [ExitGroup] its thread group's, which the last thread of
// a group of several carries too.
//
// struct taskstats is versioned: its first member says which layout
// follows, and [Layout] gives the members that version carries at their
// offsets. Members are only ever appended, except in version 15, which
// put each delay category's max and min after its total and so moved
// everything after; version 16 moved them to the end.
package taskstats

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

const (
	typeStats = unix.TASKSTATS_TYPE_STATS
	// typeCgroupStats is CGROUPSTATS_TYPE_CGROUP_STATS.
	typeCgroupStats = unix.CGROUPSTATS_TYPE_CGROUP_STATS
)

// Cmd names the TASKSTATS_CMD_* and CGROUPSTATS_CMD_* commands.
var Cmd = schema.NewEnum("taskstats_cmd", map[uint64]string{
	unix.TASKSTATS_CMD_GET: "get", unix.TASKSTATS_CMD_NEW: "new",
	unix.CGROUPSTATS_CMD_GET: "cgroupstats_get", unix.CGROUPSTATS_CMD_NEW: "cgroupstats_new",
})

var header = genl.NewHeader(Cmd)

// aggrSet is what an AGGR_PID or AGGR_TGID nest holds.
var aggrSet = schema.NewAttrSet("taskstats_aggr",
	schema.Attr{Type: unix.TASKSTATS_TYPE_PID, Name: "pid", Kind: schema.U32},
	schema.Attr{Type: unix.TASKSTATS_TYPE_TGID, Name: "tgid", Kind: schema.U32},
	schema.Attr{Type: typeStats, Name: "stats", Kind: schema.Custom, Codec: statsCodec{}, ReadOnly: true,
		Doc: "struct taskstats, laid out by its version"},
)

// replySet is TASKSTATS_TYPE_*: the kernel's answer.
var replySet = schema.NewAttrSet("taskstats",
	schema.Attr{Type: unix.TASKSTATS_TYPE_AGGR_PID, Name: "aggr_pid", Kind: schema.Nest, Nest: aggrSet, Hidden: true},
	schema.Attr{Type: unix.TASKSTATS_TYPE_AGGR_TGID, Name: "aggr_tgid", Kind: schema.Nest, Nest: aggrSet, Hidden: true},
	schema.Attr{Type: unix.TASKSTATS_TYPE_NULL, Name: "null", Kind: schema.Binary, Hidden: true, Doc: "padding"},
)

// eitherAggr is where a get's reply keeps its statistics: AGGR_PID or
// AGGR_TGID, whichever it has.
var eitherAggr = []uint16{unix.TASKSTATS_TYPE_AGGR_PID, unix.TASKSTATS_TYPE_AGGR_TGID}

// aggr returns the first of the nests (by wire type) that the reply has,
// undecoded: a lifted field reads straight from its bytes rather than
// through a nest View made anew on every access.
func aggr(v *schema.View, nests []uint16) (packet.Attr, bool) {
	for _, t := range nests {
		if a, ok := v.Raw(t); ok {
			return a, true
		}
	}
	return packet.Attr{}, false
}

// liftStats returns a reply's computed fields, read from the first of the
// nests named in nests that it has: the id in the nest, then every member
// any version of struct taskstats has, read from its stats.
func liftStats(nests ...uint16) []schema.Computed {
	var cs []schema.Computed
	for _, id := range []string{"pid", "tgid"} {
		cs = append(cs, schema.Computed{Name: id, Doc: "the " + id + " the statistics are of", Get: func(v *schema.View) (any, bool) {
			n, ok := aggr(v, nests)
			if !ok {
				return nil, false
			}
			val, ok, err := schema.NestView(aggrSet, n.Value).Get(id)
			return val, ok && err == nil
		}})
	}
	seen := map[string]bool{}
	for _, def := range []*schema.StructDef{Layout(Version), Layout(15)} {
		for _, f := range def.Fields {
			if seen[f.Name] {
				continue
			}
			seen[f.Name] = true
			name := f.Name
			if name == "version" {
				// genlmsghdr's version would shadow it.
				name = "taskstats_version"
			}
			cs = append(cs, schema.Computed{Name: name, Doc: f.Doc, Get: func(v *schema.View) (any, bool) {
				st, ok := stats(v, nests)
				if !ok {
					return nil, false
				}
				val, ok, err := st.Get(f.Name)
				return val, ok && err == nil
			}})
		}
	}
	return cs
}

// stats returns the struct taskstats in the first of nests that a reply
// has, as a View of its version's layout: the first TASKSTATS_TYPE_STATS
// of the nest, found by scanning it, as a nest View would find it.
func stats(v *schema.View, nests []uint16) (*schema.View, bool) {
	n, ok := aggr(v, nests)
	if !ok {
		return nil, false
	}
	for s := n.Attrs(); s.Next(); {
		if a := s.Attr(); a.Type == typeStats {
			st, err := statsCodec{}.Decode(a.Value, nil)
			if err != nil {
				return nil, false
			}
			return st.(*schema.View), true
		}
	}
	return nil, false
}

// Stats returns the struct taskstats of a TASKSTATS_CMD_GET reply, or
// false when the reply has none or it is malformed.
func Stats(reply *schema.View) (*schema.View, bool) { return stats(reply, eitherAggr) }

// Get is TASKSTATS_CMD_GET: the statistics of the task pid, or the sums
// over the thread group tgid.
var Get = &genl.Operation{
	Name: "get", Cmd: unix.TASKSTATS_CMD_GET, Do: true,
	Doc: "a task's (pid=) or thread group's (tgid=) accounting and delay statistics",
	Request: &schema.Message{Name: "get", Header: header, Doc: "the task or thread group", Attrs: schema.NewAttrSet("taskstats_cmd",
		schema.Attr{Type: unix.TASKSTATS_CMD_ATTR_PID, Name: "pid", Kind: schema.U32, Doc: "a task's id"},
		schema.Attr{Type: unix.TASKSTATS_CMD_ATTR_TGID, Name: "tgid", Kind: schema.U32, Doc: "a thread group's id"},
	)},
	Reply: &schema.Message{Name: "taskstats", Header: header, Attrs: replySet, Computed: liftStats(eitherAggr...),
		Doc: "a task's or thread group's statistics (struct taskstats)"},
}

// Register is TASKSTATS_CMD_GET with a CPU list: it registers the sending
// socket to receive the [Exit] record of every task that exits on one of
// the CPUs (register_cpumask), or ends that (deregister_cpumask); closing
// the socket ends it too. The list is a cpulist string, as
// /sys/devices/system/cpu/online reads: "0-3,8". The kernel acknowledges it
// and takes listeners only from the initial user and PID namespaces
// (EINVAL otherwise, and for a CPU that cannot exist).
//
// The kernel sends the records in the initial network namespace, to the
// registered port: a socket in another namespace registers but receives
// nothing. Register is not one of the Family's Ops, since a script must
// not register its request socket; a monitor sends it on a socket of its
// own.
var Register = &genl.Operation{
	Name: "register", Cmd: unix.TASKSTATS_CMD_GET, Do: true,
	Doc: "registers the socket for the exit records of tasks that exit on the CPUs of a list, or deregisters it",
	Request: &schema.Message{Name: "register", Header: header, Doc: "the CPUs", Attrs: schema.NewAttrSet("taskstats_cmd_register",
		schema.Attr{Type: unix.TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, Name: "register_cpumask", Kind: schema.String,
			Doc: "the CPUs to receive exit records for, a cpulist (\"0-3,8\")"},
		schema.Attr{Type: unix.TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK, Name: "deregister_cpumask", Kind: schema.String,
			Doc: "the CPUs to stop receiving exit records for, a cpulist"},
	)},
}

// Exit is the record the kernel unicasts to the sockets registered (with
// [Register]) for the CPU a task exits on: TASKSTATS_CMD_NEW, the kernel's
// port as sender, an AGGR_PID nest with the task's final statistics, and,
// when the task was the last of a thread group of several, an AGGR_TGID
// nest with the group's sums after it. Process ids are those of the
// initial PID namespace, user and group ids those of the initial user
// namespace.
//
// Its fields are the task's: pid, then every member of struct taskstats,
// as a get's reply has them (ac_exitcode is the wait status: the exit
// code << 8, or the signal that ended the task). [ExitGroup] reads the same
// message's thread group part.
var Exit = &genl.Event{Name: "exit", Cmd: unix.TASKSTATS_CMD_NEW, Message: &schema.Message{
	Name: "exit", Header: header, Attrs: replySet, Computed: liftStats(unix.TASKSTATS_TYPE_AGGR_PID),
	Doc: "the final statistics of a task that exited",
}}

// ExitGroup reads an [Exit] record's thread group part: tgid, then the
// members of the group's struct taskstats, the sums the kernel keeps over
// the group's threads as they exit (delay accounting; CPU and elapsed
// times and context switches too, in recent kernels). The members that
// name a task (ac_comm, ac_pid, ac_uid, ...) are zero. Its fields are
// absent when the record has no AGGR_TGID nest.
var ExitGroup = &schema.Message{
	Name: "exit_group", Header: header, Attrs: replySet, Computed: liftStats(unix.TASKSTATS_TYPE_AGGR_TGID),
	Doc: "the sums over a thread group whose last task exited",
}

// HasGroup reports whether an [Exit] record carries its thread group's
// sums: the task was the last of a group of several.
func HasGroup(exit *schema.View) bool {
	_, ok := exit.Raw(unix.TASKSTATS_TYPE_AGGR_TGID)
	return ok
}

// CgroupStatsDef is struct cgroupstats: a cgroup's tasks by state.
var CgroupStatsDef = &schema.StructDef{Name: "cgroupstats", Size: 40, Fields: []schema.Field{
	{Name: "nr_sleeping", Offset: 0, Kind: schema.U64, Doc: "tasks sleeping"},
	{Name: "nr_running", Offset: 8, Kind: schema.U64, Doc: "tasks running"},
	{Name: "nr_stopped", Offset: 16, Kind: schema.U64, Doc: "tasks stopped"},
	{Name: "nr_uninterruptible", Offset: 24, Kind: schema.U64, Doc: "tasks in uninterruptible sleep"},
	{Name: "nr_io_wait", Offset: 32, Kind: schema.U64, Doc: "tasks waiting on I/O"},
}}

// CgroupStats is CGROUPSTATS_CMD_GET: a cgroup's tasks by state. The
// request names the cgroup by an open file descriptor of its directory in
// a cgroup v1 hierarchy, which the kernel looks up in the sender's file
// table.
var CgroupStats = &genl.Operation{
	Name: "cgroupstats", Cmd: unix.CGROUPSTATS_CMD_GET, Do: true, Key: []string{"path"},
	Doc: "a cgroup's tasks by state: sleeping, running, stopped, uninterruptible, waiting on I/O",
	Request: &schema.Message{Name: "cgroupstats", Header: header, Doc: "the cgroup", Attrs: schema.NewAttrSet("cgroupstats_cmd",
		schema.Attr{Type: unix.CGROUPSTATS_CMD_ATTR_FD, Name: "fd", Kind: schema.U32, Doc: "an open fd of the cgroup's directory"},
	)},
	Reply: &schema.Message{Name: "cgroupstats", Header: header, Doc: "a cgroup's tasks by state",
		Attrs: schema.NewAttrSet("cgroupstats",
			schema.Attr{Type: typeCgroupStats, Name: "cgroup_stats", Kind: schema.Struct, Struct: CgroupStatsDef, Hidden: true},
		),
		Computed: liftStruct("cgroup_stats", CgroupStatsDef),
	},
}

// liftStruct returns a computed field for every member of the struct
// attribute attr.
func liftStruct(attr string, def *schema.StructDef) []schema.Computed {
	names := make([]string, len(def.Fields))
	for i, f := range def.Fields {
		names[i] = f.Name
	}
	return schema.Lift(attr, names, func(name string) string { return def.Field(name).Doc })
}

// Family is the TASKSTATS family's schema.
var Family = &genl.FamilySpec{
	Name:    unix.TASKSTATS_GENL_NAME,
	Version: unix.TASKSTATS_GENL_VERSION,
	Ops:     []*genl.Operation{Get, CgroupStats},
}
