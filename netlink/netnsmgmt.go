package netlink

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"golang.org/x/sys/unix"
)

// CreateNetNS creates a named network namespace as `ip netns add` does: a
// new namespace pinned by a bind mount at NetNSDir/name. The calling
// thread's namespace does not change.
func CreateNetNS(name string) error {
	if err := validNetNSName(name); err != nil {
		return err
	}
	if err := prepareNetNSDir(); err != nil {
		return err
	}
	path := filepath.Join(NetNSDir, name)
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("network namespace %q: %w", name, unix.EEXIST)
		}
		return err
	}
	f.Close()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			runtime.UnlockOSThread()
			errc <- err
			return
		}
		defer unix.Close(orig)
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- os.NewSyscallError("unshare", err)
			return
		}
		merr := unix.Mount("/proc/thread-self/ns/net", path, "none", unix.MS_BIND, "")
		if unix.Setns(orig, unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		errc <- os.NewSyscallError("mount", merr)
	}()
	if err := <-errc; err != nil {
		os.Remove(path)
		return fmt.Errorf("network namespace %q: %w", name, err)
	}
	return nil
}

// DeleteNetNS removes a named network namespace as `ip netns delete` does.
// The namespace itself lives on while anything still uses it.
func DeleteNetNS(name string) error {
	if err := validNetNSName(name); err != nil {
		return err
	}
	path := filepath.Join(NetNSDir, name)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("network namespace %q: %w", name, unix.ENOENT)
	}
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && err != unix.EINVAL {
		return fmt.Errorf("network namespace %q: %w", name, os.NewSyscallError("umount", err))
	}
	return os.Remove(path)
}

// ListNetNS returns the names of the named network namespaces, sorted.
func ListNetNS() ([]string, error) {
	entries, err := os.ReadDir(NetNSDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names, nil
}

func validNetNSName(name string) error {
	if name == "" || name == "." || name == ".." || filepath.Base(name) != name {
		return fmt.Errorf("invalid network namespace name %q", name)
	}
	return nil
}

// prepareNetNSDir makes NetNSDir a shared mount point, as iproute2 does, so
// that namespace mounts made in it propagate to other mount namespaces.
func prepareNetNSDir() error {
	if err := os.MkdirAll(NetNSDir, 0o755); err != nil {
		return err
	}
	err := unix.Mount("", NetNSDir, "none", unix.MS_SHARED|unix.MS_REC, "")
	if err == unix.EINVAL {
		if err := unix.Mount(NetNSDir, NetNSDir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
			return os.NewSyscallError("mount", err)
		}
		err = unix.Mount("", NetNSDir, "none", unix.MS_SHARED|unix.MS_REC, "")
	}
	return os.NewSyscallError("mount", err)
}
