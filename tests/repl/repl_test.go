// Package repl drives nlsh's REPL through a real terminal (tmux), as a
// person would: completion, multi-line input, history, values and _,
// help, and Ctrl-C.
package repl

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlsh/nlsh/internal/nstest"
)

// session is nlsh running in a tmux pane.
type session struct {
	t    *testing.T
	name string
	home string
}

func start(t *testing.T, nlsh string, ns *nstest.NS, home string) *session {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is required (the CI installs it): %v", err)
	}
	s := &session{t: t, name: strings.ReplaceAll(ns.Name, ".", "-"), home: home}
	cmd := exec.Command("tmux", "new-session", "-d", "-s", s.name, "-x", "200", "-y", "50",
		"env", "HOME="+s.home, "TERM=xterm", nlsh, "-n", ns.Name)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", s.name).Run() })
	s.wait(">>>")
	return s
}

func (s *session) keys(keys ...string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", append([]string{"send-keys", "-t", s.name}, keys...)...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys: %v: %s", err, out)
	}
}

// line types a line and presses Enter.
func (s *session) line(text string) {
	s.t.Helper()
	s.keys("-l", text)
	s.keys("Enter")
}

func (s *session) screen() string {
	out, _ := exec.Command("tmux", "capture-pane", "-p", "-t", s.name, "-S", "-200").Output()
	return string(out)
}

// wait waits until the screen shows want; it fails the test after a
// generous bound, so a hang is a failure, not a timing measurement.
func (s *session) wait(want string) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(s.screen(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("the screen never showed %q:\n%s", want, s.screen())
}

func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nlsh")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/nlsh").CombinedOutput(); err != nil {
		t.Fatalf("build: %v: %s", err, out)
	}
	return bin
}

func TestREPL(t *testing.T) {
	nlsh := build(t)
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	home := t.TempDir()
	s := start(t, nlsh, ns, home)

	// Values are printed, and _ holds the last one.
	s.line("40 + 2")
	s.wait("\n42\n")
	s.line("_ + 1")
	s.wait("\n43\n")

	// Completion of module members, object fields and keyword arguments.
	s.keys("-l", "ip.li")
	s.keys("Tab")
	s.wait(">>> ip.link")
	s.keys("-l", ".ge")
	s.keys("Tab")
	s.wait(">>> ip.link.get")
	s.keys("-l", "(\"v0\").ifname")
	s.keys("Enter")
	s.wait("\n\"v0\"\n")
	s.line("l = ip.link.get(\"v0\")")
	s.keys("-l", "l.mt")
	s.keys("Tab")
	s.wait(">>> l.mtu")
	s.keys("Enter")
	s.wait("\n1500\n")
	s.keys("-l", "ip.route.add(tab")
	s.keys("Tab")
	s.wait("ip.route.add(table=")
	s.keys("C-u")
	// A generic family's functions and their arguments come from its
	// schema alone.
	s.keys("-l", "ethtool.set_chan")
	s.keys("Tab")
	s.wait(">>> ethtool.set_channels")
	s.keys("-l", "(\"v0\", combined_c")
	s.keys("Tab")
	s.wait("ethtool.set_channels(\"v0\", combined_count=")
	s.keys("C-u")

	// Multi-line statements: a statement right after a block is kept.
	s.line("for i in range(3):")
	s.wait("...")
	s.line("    print('item', i)")
	s.line("print('after the loop')")
	s.wait("item 2")
	s.wait("after the loop")
	s.line("def twice(x):")
	s.line("    return 2 * x")
	s.line("")
	s.line("twice(21)")
	s.wait("\n42\n")

	// help() documents nlsh functions.
	s.line("help(ip.route.add)")
	s.wait("Creates a route")

	// Ctrl-C interrupts a busy loop and a blocked monitor, back to the prompt.
	s.line("while True: pass")
	time.Sleep(300 * time.Millisecond)
	s.keys("C-c")
	s.wait("interrupted")
	s.line("'alive after a busy loop'")
	s.wait("'alive after a busy loop'")
	s.line("for e in ip.monitor('link'): print(e)")
	time.Sleep(300 * time.Millisecond)
	s.keys("C-c")
	s.line("'alive after a monitor'")
	s.wait("\"alive after a monitor\"")

	// Errors print a backtrace and the REPL goes on.
	s.line("ip.link.get('nosuch')")
	s.wait("no such device")

	// Ctrl-D exits; the history file is private and kept.
	s.keys("C-d")
	deadline := time.Now().Add(10 * time.Second)
	hist := filepath.Join(s.home, ".nlsh_history")
	for time.Now().Before(deadline) {
		if exec.Command("tmux", "has-session", "-t", s.name).Run() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if exec.Command("tmux", "has-session", "-t", s.name).Run() == nil {
		t.Fatal("Ctrl-D did not exit")
	}
	fi, err := os.Stat(hist)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(hist)
	if !strings.Contains(string(b), "twice(21)") {
		t.Errorf("history lacks the session's lines:\n%s", b)
	}

	// The next session recalls them with the up arrow.
	s = start(t, nlsh, ns, home)
	s.keys("Up")
	s.wait(">>> ip.link.get('nosuch')")
}
