// Package scripts holds example automation scripts; this test runs each
// of them with the nlsh binary, in a private network namespace, and checks
// what it did.
package scripts

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlsh/nlsh/internal/nstest"
)

var nlsh string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "nlsh-scripts")
	if err != nil {
		panic(err)
	}
	nlsh = filepath.Join(dir, "nlsh")
	if out, err := exec.Command("go", "build", "-o", nlsh, "../cmd/nlsh").CombinedOutput(); err != nil {
		panic(string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs a script in ns and returns its output; it fails the test if the
// exit status is not want.
func run(t *testing.T, ns *nstest.NS, want int, args ...string) string {
	t.Helper()
	cmd := exec.Command(nlsh, append([]string{"-n", ns.Name, "--timeout", "60s"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Fatalf("nlsh %v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, code, want, stdout.String(), stderr.String())
	}
	return stdout.String() + stderr.String()
}

func veth(ns *nstest.NS, a, b string) {
	ns.Run("ip", "link", "add", a, "type", "veth", "peer", b)
	ns.Run("ip", "link", "set", a, "up")
	ns.Run("ip", "link", "set", b, "up")
}

func TestTwoNetnsLab(t *testing.T) {
	ns := nstest.New(t)
	prefix := strings.TrimPrefix(ns.Name, "nlsh-")[:20]
	t.Cleanup(func() {
		exec.Command("ip", "netns", "delete", prefix+"-a").Run()
		exec.Command("ip", "netns", "delete", prefix+"-b").Run()
	})
	out := run(t, ns, 0, "two-netns-lab.star", "up", prefix)
	if !strings.Contains(out, "10.92.0.0/24 via 10.90.0.2") {
		t.Errorf("lab routes not printed:\n%s", out)
	}
	run(t, ns, 0, "two-netns-lab.star", "up", prefix) // again: idempotent
	got := exec.Command("ip", "-n", prefix+"-a", "-j", "route", "get", "10.92.0.1")
	b, err := got.Output()
	if err != nil || !strings.Contains(string(b), `"gateway":"10.90.0.2"`) {
		t.Errorf("lab a cannot reach lab b's network: %s %v", b, err)
	}
	if out, err := exec.Command("ip", "netns", "exec", prefix+"-a", "ping", "-c1", "-W2", "10.90.0.2").CombinedOutput(); err != nil {
		t.Errorf("ping across the lab: %v\n%s", err, out)
	}
	run(t, ns, 0, "two-netns-lab.star", "down", prefix)
	if _, err := os.Stat("/run/netns/" + prefix + "-a"); err == nil {
		t.Error("lab namespace still there after down")
	}
	run(t, ns, 1, "two-netns-lab.star", "sideways")
}

func TestRoutesJSON(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "v0", "v1")
	ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
	ns.Run("ip", "route", "add", "10.5.0.0/16", "via", "10.0.0.2", "table", "100")
	var routes []map[string]any
	if err := json.Unmarshal([]byte(run(t, ns, 0, "routes-json.star", "100")), &routes); err != nil {
		t.Fatal(err)
	}
	if len(routes) != 1 || routes[0]["dst"] != "10.5.0.0/16" || routes[0]["gateway"] != "10.0.0.2" {
		t.Errorf("table 100: %v", routes)
	}
	if err := json.Unmarshal([]byte(run(t, ns, 0, "routes-json.star")), &routes); err != nil || len(routes) < 5 {
		t.Errorf("all tables: %d routes, %v", len(routes), err)
	}
}

func TestSnapshotDiff(t *testing.T) {
	ns := nstest.New(t)
	// No IPv6 autoconfiguration: its addresses and multicast neighbours
	// would come and go between snapshots.
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	veth(ns, "v0", "v1")
	before := strings.TrimSpace(run(t, ns, 0, "snapshot.star"))
	if !json.Valid([]byte(before)) {
		t.Fatalf("snapshot is not JSON: %s", before)
	}
	out := run(t, ns, 0, "snapshot-diff.star", before)
	if !strings.Contains(out, "no differences") {
		t.Errorf("a snapshot differs from the state it was taken of:\n%s", out)
	}
	ns.Run("ip", "addr", "add", "10.3.0.1/24", "dev", "v0")
	ns.Run("ip", "link", "set", "v1", "mtu", "1400")
	after := strings.TrimSpace(run(t, ns, 0, "snapshot.star"))
	out = run(t, ns, 1, "snapshot-diff.star", before, after)
	for _, want := range []string{"added addr 10.3.0.1/24", "changed link v1", "mtu : 1500 -> 1400"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
}

func TestBulkRoutes(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "v0", "v1")
	ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
	var text strings.Builder
	text.WriteString("# generated\n")
	for i := range 500 {
		text.WriteString("10.60." + itoa(i/256) + "." + itoa(i%256) + "/32 via 10.0.0.2 table 70\n")
	}
	out := run(t, ns, 0, "bulk-routes.star", text.String())
	if !strings.Contains(out, "500 of 500 routes added") {
		t.Errorf("output: %s", out)
	}
	bad := "10.61.0.0/24 dev v0 table 71\n10.61.1.0/24 via 10.99.9.9 table 71\n10.61.2.0/24 dev v0 table 71\n"
	out = run(t, ns, 1, "bulk-routes.star", bad, "--rollback")
	if !strings.Contains(out, "line 2: 10.61.1.0/24 via 10.99.9.9 table 71") || !strings.Contains(out, "rolled back") {
		t.Errorf("output: %s", out)
	}
	if got := ns.Run("ip", "route", "show", "table", "71"); got != "" {
		t.Errorf("rollback left routes:\n%s", got)
	}
}

func TestWatchLinks(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "v0", "v1")
	cmd := exec.Command(nlsh, "-n", ns.Name, "watch-links.star", "3", "10")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // let it subscribe
	ns.Run("ip", "link", "set", "v0", "mtu", "1300")
	ns.Run("ip", "link", "add", "w0", "type", "veth", "peer", "w1")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("watch-links did not stop after 3 events:\n%s", out.String())
	}
	for _, want := range []string{"v0 mtu 1500 -> 1300", "created w"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestMTUAudit(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "p0", "q0")
	veth(ns, "p1", "q1")
	ns.Run("ip", "link", "add", "br0", "type", "bridge")
	ns.Run("ip", "link", "set", "p0", "master", "br0")
	ns.Run("ip", "link", "set", "p1", "master", "br0")
	ns.Run("ip", "link", "set", "br0", "mtu", "1500")
	ns.Run("ip", "link", "set", "p1", "mtu", "9000")
	out := run(t, ns, 1, "mtu-audit.star")
	if !strings.Contains(out, "br0: port p1 has mtu 9000, bridge has 1500") {
		t.Errorf("audit: %s", out)
	}
	run(t, ns, 0, "--dry-run", "mtu-audit.star", "--fix")
	if !strings.Contains(ns.Run("ip", "link", "show", "p1"), "mtu 9000") {
		t.Error("a dry run changed the MTU")
	}
	run(t, ns, 0, "mtu-audit.star", "--fix")
	out = run(t, ns, 0, "mtu-audit.star")
	if !strings.Contains(out, "1 bridges, 0 mismatches") {
		t.Errorf("after the fix: %s", out)
	}
}

func TestIdempotentSetup(t *testing.T) {
	ns := nstest.New(t)
	first := run(t, ns, 0, "idempotent-setup.star")
	if !strings.Contains(first, "link br0") || !strings.Contains(first, "route 10.50.0.0/16") {
		t.Errorf("first run: %s", first)
	}
	for range 2 {
		if again := run(t, ns, 0, "idempotent-setup.star"); !strings.Contains(again, "changed: nothing") {
			t.Errorf("a re-run changed something: %s", again)
		}
	}
	if !strings.Contains(ns.Run("ip", "rule"), "from 192.168.50.0/24 lookup 50") {
		t.Error("rule missing")
	}
}

func TestNeighReport(t *testing.T) {
	ns := nstest.New(t)
	// No IPv6: its multicast neighbours would join the report at random.
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	veth(ns, "v0", "v1")
	ns.Run("ip", "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0")
	ns.Run("ip", "neigh", "add", "10.0.0.6", "dev", "v0", "nud", "failed")
	out := run(t, ns, 0, "neigh-report.star")
	for _, want := range []string{"v0 FAILED=1, PERMANENT=1", "unresolved: 10.0.0.6", "1 interfaces, 1 unresolved"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestPolicyRouting(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "e0", "f0")
	veth(ns, "e1", "f1")
	ns.Run("ip", "addr", "add", "192.0.2.10/24", "dev", "e0")
	ns.Run("ip", "addr", "add", "198.51.100.10/24", "dev", "e1")
	args := []string{"policy-routing.star", "e0", "192.0.2.1", "192.0.2.10", "e1", "198.51.100.1", "198.51.100.10"}
	run(t, ns, 0, args...)
	run(t, ns, 0, args...)
	if got := ns.Run("ip", "route", "show", "table", "102"); !strings.Contains(got, "default via 198.51.100.1 dev e1") {
		t.Errorf("table 102: %s", got)
	}
	if got := ns.Run("ip", "rule"); strings.Count(got, "from 192.0.2.10 lookup 101") != 1 {
		t.Errorf("rules after two runs:\n%s", got)
	}
	run(t, ns, 1, "policy-routing.star", "too", "few")
}

func TestECMP(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "v0", "w0")
	veth(ns, "v1", "w1")
	ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
	ns.Run("ip", "addr", "add", "10.0.1.1/24", "dev", "v1")
	out := run(t, ns, 0, "ecmp.star", "10.60.0.0/16", "10.0.0.2@v0:3", "10.0.1.2@v1:1")
	if !strings.Contains(out, "via 10.0.0.2") || !strings.Contains(out, "weight 3 (75%)") {
		t.Errorf("output: %s", out)
	}
	if got := ns.Run("ip", "route", "show", "10.60.0.0/16"); !strings.Contains(got, "weight 3") {
		t.Errorf("ip: %s", got)
	}
}

func TestIfaceReport(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "v0", "v1")
	ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
	out := run(t, ns, 0, "iface-report.star")
	if !strings.Contains(out, "v0") || !strings.Contains(out, "10.0.0.1/24") || !strings.Contains(out, "veth") {
		t.Errorf("report: %s", out)
	}
}

func TestFlushRoutes(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "v0", "v1")
	for i := range 20 {
		ns.Run("ip", "route", "add", "10.70.0."+itoa(i)+"/32", "dev", "v0", "table", "90", "proto", "static")
	}
	ns.Run("ip", "route", "add", "10.71.0.0/24", "dev", "v0", "table", "90", "proto", "bird")
	out := run(t, ns, 0, "--dry-run", "flush-routes.star", "90")
	if !strings.Contains(out, "dry-run:") || strings.Count(ns.Run("ip", "route", "show", "table", "90"), "\n") != 21 {
		t.Errorf("dry run: %s", out)
	}
	run(t, ns, 0, "flush-routes.star", "90", "static")
	if got := ns.Run("ip", "route", "show", "table", "90"); strings.TrimSpace(got) != "10.71.0.0/24 dev v0 proto bird scope link" {
		t.Errorf("left in table 90:\n%s", got)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestOffloadPolicy(t *testing.T) {
	ns := nstest.New(t)
	veth(ns, "p0", "q0")
	gro := func(dev string) string {
		for _, line := range strings.Split(ns.Run("ethtool", "-k", dev), "\n") {
			if strings.HasPrefix(line, "generic-receive-offload:") {
				return strings.TrimSpace(strings.TrimPrefix(line, "generic-receive-offload:"))
			}
		}
		t.Fatalf("ethtool -k %s prints no generic-receive-offload", dev)
		return ""
	}
	if got := gro("p0"); got != "off" {
		t.Fatalf("a new veth has GRO %s, want off", got)
	}
	run(t, ns, 0, "--dry-run", "offload-policy.star", "rx-gro=on")
	if got := gro("p0"); got != "off" {
		t.Errorf("a dry run turned GRO %s", got)
	}
	out := run(t, ns, 0, "offload-policy.star", "rx-gro=on", "tx-checksum-ipv4=on")
	for _, want := range []string{"p0: rx-gro on", "q0: rx-gro on", "p0: tx-checksum-ipv4 is fixed off", "2 changes, 3 fixed, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("first run: no %q in\n%s", want, out)
		}
	}
	for _, dev := range []string{"p0", "q0"} {
		if got := gro(dev); got != "on" {
			t.Errorf("after the policy, ethtool -k %s says GRO %s", dev, got)
		}
	}
	if out := run(t, ns, 0, "offload-policy.star", "rx-gro=on"); !strings.Contains(out, "0 changes, 0 fixed, 0 failed") {
		t.Errorf("a second run changed something:\n%s", out)
	}
	if out := run(t, ns, 1, "offload-policy.star", "rx-gr=on"); !strings.Contains(out, "no feature rx-gr") {
		t.Errorf("an unknown feature: %s", out)
	}
	if out := run(t, ns, 1, "offload-policy.star", "rx-gro"); !strings.Contains(out, "want FEATURE=on or FEATURE=off") {
		t.Errorf("a bad argument: %s", out)
	}
}

func TestMPTCPEndpoints(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "mptcp", "endpoint", "add", "10.0.9.9", "signal")
	endpoints := func() string { return strings.TrimSpace(ns.Run("ip", "mptcp", "endpoint", "show")) }
	args := []string{"mptcp-endpoints.star", "10.0.1.1,signal", "10.0.2.1,subflow,backup", "--limits=4,2"}
	run(t, ns, 0, append([]string{"--dry-run"}, args...)...)
	if got := endpoints(); got != "10.0.9.9 id 1 signal" {
		t.Errorf("a dry run changed the endpoints to %q", got)
	}
	out := run(t, ns, 0, args...)
	if !strings.Contains(out, "delete endpoint 1 10.0.9.9") || !strings.Contains(out, "4 changes") {
		t.Errorf("first run:\n%s", out)
	}
	want := "10.0.1.1 id 1 signal \n10.0.2.1 id 2 subflow backup"
	if got := endpoints(); got != want {
		t.Errorf("ip mptcp endpoint show:\n%s\nwant\n%s", got, want)
	}
	if got := strings.TrimSpace(ns.Run("ip", "mptcp", "limits", "show")); got != "add_addr_accepted 2 subflows 4" {
		t.Errorf("ip mptcp limits show: %q", got)
	}
	if out := run(t, ns, 0, args...); !strings.Contains(out, "0 changes") {
		t.Errorf("a second run changed something:\n%s", out)
	}
	// A changed flag replaces the endpoint; one left out goes.
	run(t, ns, 0, "mptcp-endpoints.star", "10.0.1.1,subflow")
	if got := endpoints(); !strings.HasPrefix(got, "10.0.1.1 id ") || !strings.HasSuffix(got, " subflow") || strings.Contains(got, "10.0.2.1") {
		t.Errorf("after 10.0.1.1,subflow: %q", got)
	}
	if out := run(t, ns, 1, "mptcp-endpoints.star", "--limits=x"); !strings.Contains(out, "want --limits=SUBFLOWS,ACCEPTED") {
		t.Errorf("a bad argument: %s", out)
	}
}
