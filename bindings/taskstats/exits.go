package taskstats

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/packet"
	pgenl "github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

const exitsDoc = `taskstats.exits(cpus=None, timeout=None, count=0)
Registers for the final statistics of every task that exits on the CPUs
cpus (a cpulist such as "0-3,8", or a list of CPU numbers; None: every
online CPU), as getdelays -l -m does, and returns an iterable of events,
each a taskstats.event with action ("exit" or "lost"), value and group.
value is the exited task's statistics, a taskstats.exit with the fields
of taskstats.get's reply: pid, then every member of struct taskstats
(ac_exitcode is the wait status: the exit code << 8, or the signal that
ended the task). group is None, or, when the task was the last of a
thread group of several, a taskstats.exit with tgid and the sums over
the group's threads (delays, CPU times, context switches). "lost" (value
and group None) means the kernel dropped records (ENOBUFS). The
registration starts at the call; the loop ends after count events, or
when timeout seconds pass without one; breaking out of it ends the
registration. The kernel takes listeners only from the initial user and
PID namespaces and sends the records in the initial network namespace:
the socket is opened in the interpreter's own, whatever the script's,
and ids are those of the initial namespaces.`

// exitsType is the type of an exit record's objects.
const exitsType = "taskstats.exit"

// listenerNetNS is where the registering socket is opened: the process's
// own network namespace, which the kernel's records reach when it is the
// initial one (as it must be, with the user and PID namespaces, for the
// kernel to take the listener). A script's private namespace never is.
const listenerNetNS = "/proc/self/ns/net"

// exits is taskstats.exits(cpus=None, timeout=None, count=0).
func exits(sess *bindings.Session) *bindings.Function {
	const name = "taskstats.exits"
	// listener is the session the registering sockets are opened in.
	listener := sync.OnceValue(func() *bindings.Session {
		if sess.NetNS() == "" {
			return sess
		}
		return sess.InNetNS(listenerNetNS)
	})
	return bindings.NewFunction(name, exitsDoc, []string{"cpus", "timeout", "count"},
		func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var (
				cpus    starlark.Value = starlark.None
				timeout starlark.Value = starlark.None
				count   int
			)
			if err := starlark.UnpackArgs(name, args, kw, "cpus?", &cpus, "timeout?", &timeout, "count?", &count); err != nil {
				return nil, err
			}
			wait, count, err := bindings.MonitorLimits(name, timeout, count)
			if err != nil {
				return nil, err
			}
			mask, err := cpuList(name, cpus)
			if err != nil {
				return nil, err
			}
			ls := listener()
			c, err := ls.Genetlink()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			ctx := bindings.Context(th)
			fam, err := c.Resolver().Family(ctx, taskstats.Family.Name)
			if err != nil {
				return nil, bindings.Explain(name, err, func(string) string { return "family" })
			}
			register, err := c.Encode(ctx, taskstats.Family, taskstats.Register, 0, schema.Fields{"register_cpumask": mask})
			if err != nil {
				return nil, fmt.Errorf("%s: cpus: %w", name, err)
			}
			deregister, err := c.Encode(ctx, taskstats.Family, taskstats.Register, 0, schema.Fields{"deregister_cpumask": mask})
			if err != nil {
				return nil, fmt.Errorf("%s: cpus: %w", name, err)
			}
			setup := func(ctx context.Context, conn bindings.Conn) (func(), error) {
				if _, err := conn.Execute(ctx, bytes.Clone(register)); err != nil {
					return nil, explainRegister(name, mask, err)
				}
				return func() {
					// Closing the socket ends the registration too, but
					// only when the kernel next finds the port gone.
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					_, _ = conn.Execute(ctx, bytes.Clone(deregister))
				}, nil
			}
			decode := func(m packet.Message) (starlark.Value, bool) {
				if m.Header.Type != fam.ID {
					return nil, false
				}
				if cmd, _, ok := pgenl.HeaderOf(m.Data); !ok || cmd != taskstats.Exit.Cmd {
					return nil, false
				}
				data := bytes.Clone(m.Data)
				v, err := schema.Decode(taskstats.Exit.Message, data)
				if err != nil {
					return nil, false
				}
				var group starlark.Value = starlark.None
				if taskstats.HasGroup(v) {
					if g, err := schema.Decode(taskstats.ExitGroup, data); err == nil {
						group = object.New(exitsType, g)
					}
				}
				return exitEvent("exit", object.New(exitsType, v), group), true
			}
			return bindings.NewEvents(th, ls, name, bindings.EventConfig{
				Proto: unix.NETLINK_GENERIC, Timeout: wait, Count: count,
				Decode: decode, Lost: exitEvent("lost", starlark.None, starlark.None), Setup: setup,
			})
		})
}

// explainRegister names a refused registration after the function and its
// cpus argument, and says what EINVAL and ERANGE mean here.
func explainRegister(fn, mask string, err error) error {
	err = bindings.Explain(fn, err, func(string) string { return "cpus" })
	ke, ok := err.(*bindings.KernelError)
	switch {
	case ok && ke.Err.Errno == unix.EINVAL:
		return fmt.Errorf("%w (cpus %q: want a cpulist such as \"0-3,8\" of CPUs that can exist; and the kernel takes listeners only from the initial user and PID namespaces)", err, mask)
	case ok && ke.Err.Errno == unix.ERANGE:
		return fmt.Errorf("%w (cpus %q: a CPU beyond those the machine can have)", err, mask)
	}
	return err
}

// cpuList reads the cpus argument: a cpulist string, a list of CPU
// numbers, or None for every online CPU.
func cpuList(fn string, cpus starlark.Value) (string, error) {
	switch v := cpus.(type) {
	case starlark.NoneType:
		b, err := os.ReadFile("/sys/devices/system/cpu/online")
		if err != nil {
			return "", fmt.Errorf("%s: cpus: the online CPUs: %w", fn, err)
		}
		return strings.TrimSpace(string(b)), nil
	case starlark.String:
		if s := strings.TrimSpace(string(v)); s != "" {
			return s, nil
		}
		return "", fmt.Errorf("%s: cpus: want a cpulist such as \"0-3\", got \"\"", fn)
	case *starlark.List, starlark.Tuple:
		var nums []string
		it := starlark.Iterate(v)
		defer it.Done()
		var x starlark.Value
		for it.Next(&x) {
			n, err := starlark.AsInt32(x)
			if err != nil || n < 0 {
				return "", fmt.Errorf("%s: cpus: want CPU numbers >= 0, got %s", fn, x.String())
			}
			nums = append(nums, strconv.Itoa(n))
		}
		if len(nums) == 0 {
			return "", fmt.Errorf("%s: cpus: want at least one CPU", fn)
		}
		return strings.Join(nums, ","), nil
	}
	return "", fmt.Errorf("%s: cpus: want a cpulist string or a list of CPU numbers, got %s", fn, cpus.Type())
}

// exitEvent is one event of taskstats.exits.
func exitEvent(action string, value, group starlark.Value) starlark.Value {
	return starlarkstruct.FromStringDict(starlark.String("taskstats.event"), starlark.StringDict{
		"action": starlark.String(action),
		"value":  value,
		"group":  group,
	})
}
