package cli

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/internal/nstest"
)

func runCLI(args []string, stdin string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, io.NopCloser(strings.NewReader(stdin)), &out, &errb)
	return code, out.String(), errb.String()
}

func TestMain(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	n := []string{"-n", ns.Name}
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		out, err string
	}{
		{"version", []string{"--version"}, "", 0, "nlsh ", ""},
		{"help", []string{"-h"}, "", 0, "usage: nlsh", ""},
		{"bad flag", []string{"--bogus"}, "", 2, "", "flag provided but not defined"},
		{"both modes", []string{"--read-only", "--dry-run", "-c", "1"}, "", 2, "", "cannot be used together"},
		{"missing file", []string{"no-such.star"}, "", 2, "", "no such file"},
		{"missing netns", []string{"-n", "nlsh-none-such", "-c", "1"}, "", 2, "", "network namespace"},
		{"expression", append(n, "-c", "len(ip.link.list())"), "", 0, "3\n", ""},
		{"statements", append(n, "-c", "x = 1\nprint(x + 1)"), "", 0, "2\n", ""},
		{"json", append(n, "--json", "-c", "[l.ifname for l in ip.link.list(ifname='v0')]"), "", 0, "[\"v0\"]\n", ""},
		{"stdin script", n, "print('from stdin', argv)", 0, "from stdin [\"-\"]\n", ""},
		{"args", append(n, "-c", "print(argv)", "a", "b"), "", 0, "[\"-c\", \"a\", \"b\"]\n", ""},
		{"script error", append(n, "-c", "fail('boom')"), "", 1, "", "boom"},
		{"backtrace", append(n, "-c", "def f():\n    ip.link.get('nosuch')\nf()"), "", 1, "", "<-c>:2:16: in f"},
		{"kernel error like iproute2", append(n, "-c", "ip.link.set('v0', mtu=100000)"), "", 1, "", "RTNETLINK answers: Invalid argument"},
		{"generic netlink error", append(n, "-c", "genl.family('no_such_family')"), "", 1, "", "netlink answers: No such file or directory"},
		{"read-only", append(n, "--read-only", "-c", "ip.link.set('v0', mtu=1400)"), "", 1, "", "refused: the interpreter is read-only"},
		{"dry-run", append(n, "--dry-run", "-c", "ip.link.set('v0', mtu=1400)"), "", 0, "dry-run: RTM_SETLINK", ""},
		{"timeout", append(n, "--timeout", "200ms", "-c", "while True:\n    pass"), "", 1, "", "timed out after 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(tt.args, tt.stdin)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, errs, tt.code, tt.out, tt.err)
			}
		})
	}
	if out := ns.Run("ip", "link", "show", "v0"); !strings.Contains(out, "mtu 1500") {
		t.Errorf("read-only or dry-run changed the MTU: %s", out)
	}
}
