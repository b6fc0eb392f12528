package runtime_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/runtime"
)

func newInterp(t *testing.T, opts runtime.Options) (*runtime.Interpreter, *strings.Builder) {
	t.Helper()
	var out strings.Builder
	var mu sync.Mutex
	if opts.Print == nil {
		opts.Print = func(s string) { mu.Lock(); out.WriteString(s + "\n"); mu.Unlock() }
	}
	in, err := runtime.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in, &out
}

func TestLoad(t *testing.T) {
	in, _ := newInterp(t, runtime.Options{Transport: &recorder{}})
	g, err := in.Exec(context.Background(), "testdata/main.star", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := g["result"]; got.String() != "42" {
		t.Errorf("result = %v, want 42", got)
	}
	if got := g["changes"].(*starlark.List).Len(); got != 1 {
		t.Errorf("diff found %d changes, want 1", got)
	}
}

func TestLoadSandbox(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"absolute path", `load("/etc/passwd.star", "x")`, "relative to the loading file"},
		{"not a .star file", `load("../../go.mod", "x")`, "only .star modules"},
		{"missing std module", `load("@std/nope.star", "x")`, "nope.star"},
		{"std escapes", `load("@std/../runtime.star", "x")`, "not a standard-library module"},
		{"missing file", `load("nope.star", "x")`, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, _ := newInterp(t, runtime.Options{Transport: &recorder{}})
			_, err := in.Exec(context.Background(), "testdata/x.star", tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestCustomLoaderAndPredeclared(t *testing.T) {
	in, out := newInterp(t, runtime.Options{
		Transport:   &recorder{},
		Predeclared: starlark.StringDict{"answer": starlark.MakeInt(42)},
		Loader: func(_ *starlark.Thread, module string) (starlark.StringDict, error) {
			if module == "virtual.star" {
				return starlark.StringDict{"v": starlark.String("from the loader")}, nil
			}
			return nil, nil
		},
		Args: []string{"script.star", "a1"},
	})
	_, err := in.Exec(context.Background(), "script.star", `
load("virtual.star", "v")
print(v, answer, argv)
`)
	if err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "from the loader 42 [\"script.star\", \"a1\"]\n" {
		t.Errorf("printed %q", got)
	}
}

func TestCancelBusyLoop(t *testing.T) {
	in, _ := newInterp(t, runtime.Options{Transport: &recorder{}})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := in.Exec(ctx, "loop.star", "while True:\n    pass\n")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want a deadline error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the busy loop was not cancelled")
	}
}

func TestStepLimit(t *testing.T) {
	in, _ := newInterp(t, runtime.Options{Transport: &recorder{}, MaxSteps: 1000})
	_, err := in.Exec(context.Background(), "loop.star", "for i in range(1000000):\n    pass\n")
	if err == nil || !strings.Contains(err.Error(), "too many steps") {
		t.Errorf("got %v, want a step-limit error", err)
	}
	// The limit applies per run: a short script still runs afterwards.
	if _, err := in.Exec(context.Background(), "short.star", "x = 1\n"); err != nil {
		t.Errorf("short script after a limited one: %v", err)
	}
}

func TestEval(t *testing.T) {
	in, _ := newInterp(t, runtime.Options{Transport: &recorder{}})
	v, err := in.Eval(context.Background(), "math.sqrt(16) + len(json.encode([1]))")
	if err != nil {
		t.Fatal(err)
	}
	if v.String() != "7.0" {
		t.Errorf("got %v", v)
	}
}

// TestTransport plugs in a transport that records requests instead of
// sending them, as an embedder or a test would.
func TestTransport(t *testing.T) {
	rec := &recorder{}
	in, _ := newInterp(t, runtime.Options{Transport: rec})
	_, err := in.Exec(context.Background(), "t.star", `ip.addr.add("10.1.2.3/24", dev=7)`)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.sent) != 1 {
		t.Fatalf("sent %d requests, want 1", len(rec.sent))
	}
	h, _ := packet.ParseHeader(rec.sent[0])
	if h.Type != unix.RTM_NEWADDR || h.Flags&unix.NLM_F_CREATE == 0 || h.Flags&unix.NLM_F_EXCL == 0 {
		t.Errorf("sent type %d flags %#x", h.Type, h.Flags)
	}
}

// recorder is a Transport whose sockets acknowledge every request and
// remember it.
type recorder struct {
	mu   sync.Mutex
	sent [][]byte
}

func (r *recorder) Dial(proto int, netns string) (bindings.Conn, error) { return &recConn{r: r}, nil }

type recConn struct{ r *recorder }

func (c *recConn) Execute(_ context.Context, req []byte) ([]packet.Message, error) {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	c.r.sent = append(c.r.sent, append([]byte(nil), req...))
	return nil, nil
}

func (c *recConn) Dump(context.Context, []byte, ...netlink.DumpOption) iter.Seq2[packet.Message, error] {
	return func(func(packet.Message, error) bool) {}
}

func (c *recConn) ExecuteBatch(_ context.Context, msgs []byte, _ netlink.BatchOptions) error {
	c.r.mu.Lock()
	defer c.r.mu.Unlock()
	c.r.sent = append(c.r.sent, append([]byte(nil), msgs...))
	return nil
}

func (c *recConn) JoinGroup(uint32) error { return nil }

func (c *recConn) Notifications(ctx context.Context) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
		<-ctx.Done()
		yield(packet.Message{}, ctx.Err())
	}
}

func (c *recConn) Close() error { return nil }

func TestCancelBlockedMonitor(t *testing.T) {
	ns := nstest.New(t)
	in, _ := newInterp(t, runtime.Options{NetNS: ns.Name})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := in.Exec(ctx, "mon.star", "for e in ip.monitor('addr'):\n    pass\n")
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a monitor blocked with no events was not cancelled")
	}
}
