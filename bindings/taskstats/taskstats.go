// Package taskstats is the Starlark module taskstats: a task's accounting
// and delay statistics from the kernel's TASKSTATS family, as getdelays
// reads them, and a cgroup's tasks by state.
//
//	t = taskstats.get(pid = 1)
//	print(t.ac_comm, t.ac_uid, t.ac_ppid, t.nvcsw, t.nivcsw)
//	print(t.cpu_delay_total, t.blkio_delay_total)   # with delay accounting on
//	g = taskstats.get(tgid = 1234)                  # summed over the threads
//	c = taskstats.cgroupstats("/sys/fs/cgroup/cpu") # a cgroup v1 directory
//	print(c.nr_running, c.nr_sleeping)
//
// taskstats.exits reads the final statistics of each task as it exits, as
// getdelays -l -m does: the kernel sends them to a socket registered for
// the CPUs the task ran on last.
//
//	for e in taskstats.exits(cpus = "0-3", timeout = 10):
//	    t = e.value                             # a taskstats.exit
//	    print(t.pid, t.ac_ppid, t.ac_comm, t.ac_exitcode >> 8, t.ac_etime)
//	    if e.group:                             # the last of its threads
//	        print(e.group.tgid, e.group.cpu_delay_total)
//
// A reply's fields are pid or tgid, then the members of struct taskstats
// the kernel's version carries (version is one of them), named as
// include/uapi/linux/taskstats.h names them; the timestamps of version 17
// read as <category>_delay_max_ts_sec and _nsec.
//
// Process ids are those of the script's PID namespace, and uid and gid
// those of its user namespace. The family answers in every network
// namespace (it is registered netnsok), so a script in a private
// namespace reads the same tasks as one in the initial namespace. Exit
// records are the exception: the kernel takes their listeners only from
// the initial user and PID namespaces and sends them in the initial
// network namespace, so taskstats.exits opens its socket in the
// interpreter's own network namespace, whatever the script's, and its ids
// are the initial namespaces'.
package taskstats

import (
	"fmt"
	"os"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/genl"
	pgenl "github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

// Module is the taskstats module, for the runtime's list of modules.
type Module struct{}

// Name returns "taskstats".
func (Module) Name() string { return "taskstats" }

// New builds the taskstats module for a session.
func (Module) New(sess *bindings.Session) starlark.Value {
	members := genl.Functions(sess, genl.Binding{
		Module:  "taskstats",
		Family:  taskstats.Family,
		Args:    map[string]string{"path": "fd"},
		Prepare: openCgroup,
	})
	members["exits"] = exits(sess)
	return &starlarkstruct.Module{Name: "taskstats", Members: members}
}

// openCgroup opens the cgroup directory a cgroupstats call names, for the
// kernel to find by its fd, and closes it when the call is over.
func openCgroup(c *bindings.Call, _ *pgenl.Operation, f schema.Fields) (func(), error) {
	path, ok := f["fd"].(string)
	if !ok {
		if _, given := f["fd"]; given {
			return nil, fmt.Errorf("%s: path: want a cgroup directory's path, a string", c.Fn)
		}
		return nil, nil
	}
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: path: %w", c.Fn, &os.PathError{Op: "open", Path: path, Err: err})
	}
	f["fd"] = fd
	return func() { unix.Close(fd) }, nil
}
