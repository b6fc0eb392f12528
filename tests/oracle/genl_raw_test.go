package oracle

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/runtime"
)

// runScript runs src in ns with the default modules and returns what it
// printed.
func runScript(t *testing.T, ns *nstest.NS, src string) string {
	t.Helper()
	var out strings.Builder
	in, err := runtime.New(runtime.Options{NetNS: ns.Name, Print: func(msg string) { out.WriteString(msg + "\n") }})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := in.Exec(ctx, "oracle.star", []byte(src)); err != nil {
		if ee, ok := err.(*starlark.EvalError); ok {
			t.Fatalf("%s", ee.Backtrace())
		}
		t.Fatal(err)
	}
	return out.String()
}

// TestOracleGenlRawRequest drives a family nlsh has no schema for (SEG6)
// by numbers, both ways against `ip sr tunsrc`: what iproute2 sets, a raw
// request reads; what a raw request sets, iproute2 shows.
func TestOracleGenlRawRequest(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "sr", "tunsrc", "set", "2001:db8::7")
	got := runScript(t, ns, `
m = genl.request("SEG6", 4)[0]
print(m.cmd, " ".join([("%x" % b) if b > 15 else ("0%x" % b) for b in m.get(1).data.elems()]))
genl.request("SEG6", 3, {1: b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x09"})
`)
	if want := "4 20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 07\n"; got != want {
		t.Errorf("raw GET_TUNSRC after ip sr tunsrc set 2001:db8::7 printed %q, want %q", got, want)
	}
	if out := strings.TrimSpace(ns.Run("ip", "sr", "tunsrc", "show")); out != "tunsrc addr 2001:db8::9" {
		t.Errorf("after a raw SET_TUNSRC of 2001:db8::9, ip sr tunsrc show prints %q", out)
	}
}
