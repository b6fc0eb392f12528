package bindings_test

import (
	"context"
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
func (c *feedConn) Close() error { c.f.closed++; return nil }
func (c *feedConn) Notifications(ctx context.Context) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
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
