package bindings_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"testing"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
)

// feed is a Transport whose sockets deliver a fixed list of notifications:
// a message (its type) or, for type 0, a lost-events report.
type feed struct {
	events []uint16
	joined []uint32
	closed int
	// log records what happened to the sockets, in order.
	log []string
}

func (f *feed) Dial(int, string) (bindings.Conn, error) { return &feedConn{f: f}, nil }

type feedConn struct{ f *feed }

func (c *feedConn) Execute(context.Context, []byte) ([]packet.Message, error) { return nil, nil }
func (c *feedConn) Dump(context.Context, []byte, ...netlink.DumpOption) iter.Seq2[packet.Message, error] {
	return func(func(packet.Message, error) bool) {}
}
func (c *feedConn) ExecuteBatch(context.Context, []byte, netlink.BatchOptions) error { return nil }
func (c *feedConn) JoinGroup(g uint32) error {
	c.f.joined = append(c.f.joined, g)
	return nil
}
func (c *feedConn) Close() error { c.f.closed++; c.f.log = append(c.f.log, "close"); return nil }
func (c *feedConn) Notifications(ctx context.Context) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
		c.f.log = append(c.f.log, "receive")
		for _, t := range c.f.events {
			var ok bool
			if t == 0 {
				ok = yield(packet.Message{}, netlink.ErrEventsLost)
			} else {
				ok = yield(packet.Message{Header: unix.NlMsghdr{Type: t}}, nil)
			}
			if !ok {
				return
			}
		}
		<-ctx.Done()
		yield(packet.Message{}, ctx.Err())
	}
}

// TestEvents checks the event-stream rules every monitor shares: lost
// events are yielded in place, skipped messages are not counted, count
// ends the loop and the subscription is closed when it ends.
func TestEvents(t *testing.T) {
	tests := []struct {
		name   string
		events []uint16
		count  int
		want   []string
	}{
		{"lost in place", []uint16{20, 0, 21}, 3, []string{"20", "lost", "21"}},
		{"skipped not counted", []uint16{20, 99, 21}, 2, []string{"20", "21"}},
		{"count stops early", []uint16{20, 21, 22}, 1, []string{"20"}},
		{"lost twice", []uint16{0, 0}, 2, []string{"lost", "lost"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &feed{events: tc.events}
			sess := bindings.NewSession("", bindings.Full, f, nil)
			th := &starlark.Thread{}
			ev, err := bindings.NewEvents(th, sess, "test.monitor", bindings.EventConfig{
				Proto: 16, Groups: []uint32{3, 5}, Count: tc.count,
				Decode: func(m packet.Message) (starlark.Value, bool) {
					if m.Header.Type == 99 {
						return nil, false
					}
					return starlark.String(starlark.MakeInt(int(m.Header.Type)).String()), true
				},
				Lost: starlark.String("lost"),
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			it := ev.Iterate()
			var v starlark.Value
			for it.Next(&v) {
				got = append(got, string(v.(starlark.String)))
			}
			it.Done()
			if !slices.Equal(got, tc.want) {
				t.Errorf("events %v, want %v", got, tc.want)
			}
			if !slices.Equal(f.joined, []uint32{3, 5}) {
				t.Errorf("joined %v, want [3 5]", f.joined)
			}
			if f.closed != 1 {
				t.Errorf("closed %d sockets, want 1", f.closed)
			}
		})
	}
}

func TestMonitorLimits(t *testing.T) {
	tests := []struct {
		timeout starlark.Value
		count   int
		err     string
	}{
		{starlark.None, 0, ""},
		{starlark.MakeInt(2), 3, ""},
		{starlark.Float(0.5), 0, ""},
		{starlark.MakeInt(0), 0, "timeout: want a positive number of seconds"},
		{starlark.String("1"), 0, "timeout: want seconds, got string"},
		{starlark.None, -1, "count: want a number of events >= 0, got -1"},
	}
	for _, tc := range tests {
		_, _, err := bindings.MonitorLimits("m", tc.timeout, tc.count)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%v, %d: %v", tc.timeout, tc.count, err)
		case tc.err != "" && (err == nil || err.Error() != "m: "+tc.err):
			t.Errorf("%v, %d: error %v, want %q", tc.timeout, tc.count, err, "m: "+tc.err)
		}
	}
}

// TestEventsSetup: Setup runs on each subscription's socket before any
// event is read, at the call and again for a second loop; its end runs
// before the socket closes; a failing Setup closes the socket and fails
// the call with its error.
func TestEventsSetup(t *testing.T) {
	f := &feed{events: []uint16{20, 21}}
	sess := bindings.NewSession("", bindings.Full, f, nil)
	th := &starlark.Thread{}
	cfg := bindings.EventConfig{
		Proto: 16, Count: 2,
		Decode: func(m packet.Message) (starlark.Value, bool) { return starlark.MakeInt(int(m.Header.Type)), true },
		Setup: func(_ context.Context, c bindings.Conn) (func(), error) {
			if c.(*feedConn).f != f {
				t.Error("Setup got another socket")
			}
			f.log = append(f.log, "setup")
			return func() { f.log = append(f.log, "end") }, nil
		},
	}
	ev, err := bindings.NewEvents(th, sess, "test.monitor", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.log, []string{"setup"}) {
		t.Fatalf("after the call: %v, want [setup]", f.log)
	}
	for range 2 {
		it := ev.Iterate()
		var v starlark.Value
		n := 0
		for it.Next(&v) {
			n++
		}
		it.Done()
		if n != 2 {
			t.Errorf("%d events, want 2", n)
		}
	}
	want := []string{"setup", "receive", "end", "close", "setup", "receive", "end", "close"}
	if !slices.Equal(f.log, want) {
		t.Errorf("got %v, want %v", f.log, want)
	}

	f.log = nil
	cfg.Setup = func(context.Context, bindings.Conn) (func(), error) { return nil, errors.New("test.monitor: refused") }
	if _, err := bindings.NewEvents(th, sess, "test.monitor", cfg); err == nil || err.Error() != "test.monitor: refused" {
		t.Errorf("failing Setup: %v", err)
	}
	if !slices.Equal(f.log, []string{"close"}) {
		t.Errorf("failing Setup: %v, want [close]", f.log)
	}
}
