package netlink

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"
)

// NetNSDir is where iproute2 keeps named network namespaces.
const NetNSDir = "/run/netns"

// NetNSPath returns the path of a network namespace given by name, as `ip
// netns` names them, or by path: a name without a slash lives under
// NetNSDir.
func NetNSPath(name string) string {
	if filepath.IsAbs(name) || filepath.Base(name) != name {
		return name
	}
	return filepath.Join(NetNSDir, name)
}

// openSocket creates the netlink socket, inside the namespace cfg names if
// any. The fd is non-blocking and close-on-exec.
func openSocket(proto int, cfg *Config) (int, error) {
	const flags = unix.SOCK_RAW | unix.SOCK_CLOEXEC | unix.SOCK_NONBLOCK
	open := func() (int, error) {
		fd, err := unix.Socket(unix.AF_NETLINK, flags, proto)
		return fd, os.NewSyscallError("socket", err)
	}
	switch {
	case cfg.NetNS != "":
		path := NetNSPath(cfg.NetNS)
		nsfd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1, fmt.Errorf("netlink: network namespace %q: %w", cfg.NetNS, &os.PathError{Op: "open", Path: path, Err: err})
		}
		defer unix.Close(nsfd)
		return InNetNS(nsfd, open)
	case cfg.NetNSFD != 0:
		return InNetNS(cfg.NetNSFD, open)
	}
	return open()
}

// InNetNS runs fn on an OS thread that has entered the network namespace
// nsfd, and returns its result. Only fn runs there: the thread switches back
// before it is released, and a thread that cannot switch back is never
// reused — it is locked until its goroutine exits, which makes the runtime
// end it. A socket keeps the namespace it was created in, so fn is usually
// just socket(2).
func InNetNS[T any](nsfd int, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		var zero T
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			ch <- result{zero, fmt.Errorf("netlink: open own network namespace: %w", err)}
			return
		}
		defer unix.Close(orig)
		if err := unix.Setns(nsfd, unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			ch <- result{zero, os.NewSyscallError("setns", err)}
			return
		}
		v, err := fn()
		if rerr := unix.Setns(orig, unix.CLONE_NEWNET); rerr == nil {
			runtime.UnlockOSThread()
		}
		ch <- result{v, err}
	}()
	r := <-ch
	return r.v, r.err
}
