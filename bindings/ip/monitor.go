package ip

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// monitor is ip.monitor("link", "addr", ..., timeout=SECONDS, count=N): an
// iterable of events, each with action ("new", "del" or "lost"), object
// (its kind) and value (the typed object, None for "lost"). Lost events
// (the socket overflowed, ENOBUFS) are reported as events of their own.
// Iteration ends after count events or when timeout passes without one;
// breaking out of the loop closes the subscription.
func monitor(th *starlark.Thread, sess *bindings.Session, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	count := 0
	if err := starlark.UnpackArgs(b.Name(), nil, kw, "timeout?", &timeout, "count?", &count); err != nil {
		return nil, err
	}
	var wait time.Duration
	switch t := timeout.(type) {
	case starlark.NoneType:
	case starlark.Int, starlark.Float:
		secs, _ := starlark.AsFloat(t)
		if secs <= 0 {
			return nil, fmt.Errorf("%s: timeout: want a positive number of seconds", b.Name())
		}
		wait = time.Duration(secs * float64(time.Second))
	default:
		return nil, fmt.Errorf("%s: timeout: want seconds, got %s", b.Name(), timeout.Type())
	}
	var objs []*bindings.ObjectSpec
	specs := Specs()
	var names []string
	for _, s := range specs {
		if len(s.Object.Groups) > 0 {
			names = append(names, s.Module[len("ip."):])
		}
	}
	sort.Strings(names)
	for i, a := range args {
		name, ok := starlark.AsString(a)
		if !ok {
			return nil, fmt.Errorf("%s: argument %d: want an object name, got %s", b.Name(), i+1, a.Type())
		}
		found := false
		for _, s := range specs {
			if s.Module == "ip."+name && len(s.Object.Groups) > 0 {
				objs = append(objs, s)
				found = true
			}
		}
		if !found {
			msg := fmt.Sprintf("%s: %q has no events; choose from %v", b.Name(), name, names)
			if s := schema.Suggest(name, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, errors.New(msg)
		}
	}
	if len(objs) == 0 {
		for _, s := range specs {
			if len(s.Object.Groups) > 0 {
				objs = append(objs, s)
			}
		}
	}
	var groups []uint32
	for _, s := range objs {
		for _, g := range s.Object.Groups {
			if !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	// Subscribe now, so that events caused between this call and the loop
	// are not missed.
	conn, err := sess.Subscribe(route.Family.Protocol, groups)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.Name(), err)
	}
	sess.Track(conn)
	return &events{thread: th, sess: sess, objs: objs, wait: wait, count: count, groups: groups, conn: conn}, nil
}

// events is the iterable ip.monitor returns.
type events struct {
	thread *starlark.Thread
	sess   *bindings.Session
	objs   []*bindings.ObjectSpec
	wait   time.Duration
	count  int
	groups []uint32
	// conn is the subscription the next loop will use.
	conn bindings.Conn
}

func (e *events) String() string        { return "<ip.monitor>" }
func (e *events) Type() string          { return "ip.monitor" }
func (e *events) Freeze()               {}
func (e *events) Truth() starlark.Bool  { return starlark.True }
func (e *events) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: ip.monitor") }

// Iterate starts receiving; the subscription is closed when the loop ends.
// Looping over the same monitor again subscribes again: events between the
// two loops are not seen.
func (e *events) Iterate() starlark.Iterator {
	it := &eventIterator{e: e}
	if e.conn == nil {
		conn, err := e.sess.Subscribe(route.Family.Protocol, e.groups)
		if err != nil {
			e.thread.Cancel(fmt.Sprintf("ip.monitor: %v", err))
			return it
		}
		e.sess.Track(conn)
		e.conn = conn
	}
	it.conn, e.conn = e.conn, nil
	it.ctx, it.cancel = context.WithCancel(bindings.Context(e.thread))
	it.next, it.stop = iter.Pull2(it.conn.Notifications(it.ctx))
	return it
}

type eventIterator struct {
	e      *events
	conn   bindings.Conn
	ctx    context.Context
	cancel context.CancelFunc
	next   func() (packet.Message, error, bool)
	stop   func()
	seen   int
}

func (it *eventIterator) Next(p *starlark.Value) bool {
	if it.next == nil || (it.e.count > 0 && it.seen >= it.e.count) {
		return false
	}
	var timer *time.Timer
	if it.e.wait > 0 {
		timer = time.AfterFunc(it.e.wait, it.cancel)
		defer timer.Stop()
	}
	for {
		m, err, ok := it.next()
		if !ok {
			return false
		}
		if errors.Is(err, netlink.ErrEventsLost) {
			it.seen++
			*p = event("lost", "", starlark.None)
			return true
		}
		if err != nil {
			if it.ctx.Err() != nil && bindings.Context(it.e.thread).Err() == nil {
				return false // the timeout passed with no event
			}
			it.e.thread.Cancel(fmt.Sprintf("ip.monitor: %v", err))
			return false
		}
		obj, action := route.Family.ByType(m.Header.Type)
		var spec *bindings.ObjectSpec
		for _, s := range it.e.objs {
			if s.Object == obj {
				spec = s
			}
		}
		if spec == nil {
			continue
		}
		v, err := schema.Decode(obj.Message, append([]byte(nil), m.Data...))
		if err != nil {
			continue
		}
		it.seen++
		*p = event(action.String(), obj.Name(), object.New(spec.Module, v))
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
		it.e.sess.Untrack(it.conn)
		it.conn.Close()
	}
}

func event(action, kind string, value starlark.Value) starlark.Value {
	obj := starlark.Value(starlark.None)
	if kind != "" {
		obj = starlark.String(kind)
	}
	return starlarkstruct.FromStringDict(starlark.String("ip.event"), starlark.StringDict{
		"action": starlark.String(action),
		"object": obj,
		"value":  value,
	})
}
