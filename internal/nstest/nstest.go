// Package nstest gives each test a private network namespace of its own,
// created with iproute2 and removed when the test ends, pass or fail. The
// root namespace is never touched.
//
//	func TestRoutes(t *testing.T) {
//		ns := nstest.New(t)
//		ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
//		c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
//		...
//	}
package nstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// NS is a named network namespace that lives for one test.
type NS struct {
	// Name is the namespace's name under /run/netns.
	Name string
	t    testing.TB
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9]+`)

// Skip reasons are printed; the only reason to skip is missing privilege,
// since every namespace feature the tests use exists on the test kernel.
func requireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: creating network namespaces needs root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Fatalf("iproute2's ip is required: %v", err)
	}
}

// New creates a fresh network namespace for t, brings its loopback up,
// turns IPv6 duplicate address detection off in it (see below), and
// registers its removal with t.Cleanup.
func New(t testing.TB) *NS {
	t.Helper()
	requireRoot(t)
	var r [4]byte
	_, _ = rand.Read(r[:])
	base := strings.Trim(unsafeChars.ReplaceAllString(t.Name(), "-"), "-")
	if len(base) > 30 {
		base = base[:30]
	}
	ns := &NS{Name: "nlsh-" + base + "-" + hex.EncodeToString(r[:]), t: t}
	if out, err := exec.Command("ip", "netns", "add", ns.Name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", ns.Name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "delete", ns.Name).CombinedOutput(); err != nil {
			t.Errorf("ip netns delete %s: %v: %s", ns.Name, err, out)
		}
	})
	ns.Run("ip", "link", "set", "lo", "up")
	// No duplicate address detection: it ends a second or two after a
	// device comes up, adding routes and neighbours while a test compares
	// two snapshots of the namespace.
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
	return ns
}

// Path returns the namespace's file, for netlink.Config.NetNS.
func (ns *NS) Path() string { return "/run/netns/" + ns.Name }

// Run runs a command inside the namespace and fails the test if it fails.
// It returns the command's standard output.
func (ns *NS) Run(name string, args ...string) string {
	ns.t.Helper()
	out, err := ns.Try(name, args...)
	if err != nil {
		ns.t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out
}

// Try runs a command inside the namespace and returns its standard output,
// or an error that includes its standard error.
func (ns *NS) Try(name string, args ...string) (string, error) {
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns.Name, name}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}
