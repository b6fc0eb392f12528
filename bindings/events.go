package bindings

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
)

// Events is the iterable a monitor function returns (ip.monitor,
// genl.monitor, ethtool.monitor): the notifications of a subscription,
// each decoded into a Starlark value. The rules are the same for every
// family:
//
//   - the subscription starts when the monitor function is called, so no
//     event caused between the call and the loop is missed;
//   - when the socket's buffer overflows, the kernel drops events, and the
//     loop yields one "lost" value for each overflow and goes on;
//   - the loop ends after Count events (lost ones included), or when
//     Timeout passes with no event, or when the loop is left; the
//     subscription is then closed;
//   - looping over the same value again subscribes again.
type Events struct {
	thread *starlark.Thread
	sess   *Session
	name   string
	cfg    EventConfig
	// conn is the subscription the next loop will use, and end what its
	// Setup returned.
	conn Conn
	end  func()
}

// EventConfig describes a subscription and how its messages read.
type EventConfig struct {
	// Proto is the netlink protocol, e.g. unix.NETLINK_GENERIC.
	Proto int
	// Groups are the multicast groups to join.
	Groups []uint32
	// Timeout ends a loop that waits this long for an event; 0 waits on.
	Timeout time.Duration
	// Count ends a loop after this many events; 0 means no limit.
	Count int
	// Decode turns a message into an event, or reports false to skip it.
	// The message's bytes are valid only during the call.
	Decode func(m packet.Message) (starlark.Value, bool)
	// Lost is the event a loop yields when events were lost.
	Lost starlark.Value
	// Setup, when set, runs on each subscription's own socket as soon as
	// it is open, before any event is read: a request that makes the
	// kernel start sending to the socket (TASKSTATS registers it for the
	// statistics of exiting tasks). The kernel's unicast messages to the
	// socket are events, as its multicast ones are. The end it returns,
	// if not nil, runs when the subscription ends, before its socket
	// closes.
	Setup func(ctx context.Context, c Conn) (end func(), err error)
}

// NewEvents subscribes to cfg.Groups now, runs cfg.Setup, and returns the
// iterable named name (its Starlark type).
func NewEvents(th *starlark.Thread, sess *Session, name string, cfg EventConfig) (*Events, error) {
	e := &Events{thread: th, sess: sess, name: name, cfg: cfg}
	conn, end, err := e.subscribe()
	if err != nil {
		return nil, err
	}
	e.conn, e.end = conn, end
	return e, nil
}

// subscribe opens a subscription and runs the config's Setup on it.
func (e *Events) subscribe() (Conn, func(), error) {
	conn, err := e.sess.Subscribe(e.cfg.Proto, e.cfg.Groups)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", e.name, err)
	}
	var end func()
	if e.cfg.Setup != nil {
		if end, err = e.cfg.Setup(Context(e.thread), conn); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}
	e.sess.Track(conn)
	return conn, end, nil
}

// MonitorLimits reads a monitor function's timeout (seconds, or None)
// and count arguments.
func MonitorLimits(fn string, timeout starlark.Value, count int) (time.Duration, int, error) {
	if count < 0 {
		return 0, 0, fmt.Errorf("%s: count: want a number of events >= 0, got %d", fn, count)
	}
	switch t := timeout.(type) {
	case starlark.NoneType:
		return 0, count, nil
	case starlark.Int, starlark.Float:
		secs, _ := starlark.AsFloat(t)
		if secs <= 0 {
			return 0, 0, fmt.Errorf("%s: timeout: want a positive number of seconds", fn)
		}
		return time.Duration(secs * float64(time.Second)), count, nil
	}
	return 0, 0, fmt.Errorf("%s: timeout: want seconds, got %s", fn, timeout.Type())
}

func (e *Events) String() string        { return "<" + e.name + ">" }
func (e *Events) Type() string          { return e.name }
func (e *Events) Freeze()               {}
func (e *Events) Truth() starlark.Bool  { return starlark.True }
func (e *Events) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", e.name) }

// Iterate starts receiving; the subscription is closed when the loop ends.
func (e *Events) Iterate() starlark.Iterator {
	it := &eventIterator{e: e}
	if e.conn == nil {
		conn, end, err := e.subscribe()
		if err != nil {
			e.thread.Cancel(err.Error())
			return it
		}
		e.conn, e.end = conn, end
	}
	it.conn, it.end, e.conn, e.end = e.conn, e.end, nil, nil
	it.ctx, it.cancel = context.WithCancel(Context(e.thread))
	it.next, it.stop = iter.Pull2(it.conn.Notifications(it.ctx))
	return it
}

type eventIterator struct {
	e      *Events
	conn   Conn
	end    func()
	ctx    context.Context
	cancel context.CancelFunc
	next   func() (packet.Message, error, bool)
	stop   func()
	seen   int
}

func (it *eventIterator) Next(p *starlark.Value) bool {
	cfg := &it.e.cfg
	if it.next == nil || (cfg.Count > 0 && it.seen >= cfg.Count) {
		return false
	}
	if cfg.Timeout > 0 {
		timer := time.AfterFunc(cfg.Timeout, it.cancel)
		defer timer.Stop()
	}
	for {
		m, err, ok := it.next()
		if !ok {
			return false
		}
		if errors.Is(err, netlink.ErrEventsLost) {
			it.seen++
			*p = cfg.Lost
			return true
		}
		if err != nil {
			if it.ctx.Err() != nil && Context(it.e.thread).Err() == nil {
				return false // the timeout passed with no event
			}
			it.e.thread.Cancel(fmt.Sprintf("%s: %v", it.e.name, err))
			return false
		}
		v, ok := cfg.Decode(m)
		if !ok {
			continue
		}
		it.seen++
		*p = v
		return true
	}
}

// Done closes the subscription, also when the loop was left early.
func (it *eventIterator) Done() {
	if it.cancel != nil {
		it.cancel()
	}
	if it.stop != nil {
		it.stop()
	}
	if it.conn != nil {
		if it.end != nil {
			it.end()
		}
		it.e.sess.Untrack(it.conn)
		it.conn.Close()
	}
}
