package bindings

import (
	"errors"
	"fmt"
	"iter"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet/schema"
)

func (spec *ObjectSpec) dump(th *starlark.Thread, sess *Session, fn string, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	c := &Call{Thread: th, Session: sess, Fn: fn, Filter: true}
	f, _, err := spec.fields(fn, nil, args, kw)
	if err != nil {
		return nil, err
	}
	if err := spec.prepare(c, f); err != nil {
		return nil, err
	}
	if _, err := objects.NewFilter(spec.Object, f); err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	return &dumpIterable{spec: spec, sess: sess, fn: fn, filter: f, thread: th}, nil
}

// dumpIterable is what dump() returns: iterating it runs the dump, on a
// socket of its own so that the loop body may make requests of its own,
// and yields each object as it arrives. Memory does not grow with the
// dump: only the objects the script keeps stay alive.
type dumpIterable struct {
	spec   *ObjectSpec
	sess   *Session
	fn     string
	filter schema.Fields
	thread *starlark.Thread
}

var _ starlark.Iterable = (*dumpIterable)(nil)

func (d *dumpIterable) String() string        { return fmt.Sprintf("<%s>", d.fn) }
func (d *dumpIterable) Type() string          { return d.spec.Module + ".dump" }
func (d *dumpIterable) Freeze()               {}
func (d *dumpIterable) Truth() starlark.Bool  { return starlark.True }
func (d *dumpIterable) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", d.Type()) }

// Iterate starts the dump.
func (d *dumpIterable) Iterate() starlark.Iterator {
	it := &dumpIterator{d: d}
	conn, err := d.sess.Transport().Dial(d.spec.Family.Protocol, d.sess.NetNS())
	if err != nil {
		it.fail(fmt.Errorf("%s: %w", d.fn, err))
		return it
	}
	it.conn = conn
	client := objects.New(conn, d.spec.Family)
	it.next, it.stop = iter.Pull2(client.Dump(Context(d.thread), d.spec.Object, d.filter))
	return it
}

type dumpIterator struct {
	d    *dumpIterable
	conn Conn
	next func() (*schema.View, error, bool)
	stop func()
}

// fail stops the script with err: Next cannot return an error, so the
// thread is cancelled with it.
func (it *dumpIterator) fail(err error) { it.d.thread.Cancel(err.Error()) }

func (it *dumpIterator) Next(p *starlark.Value) bool {
	if it.next == nil {
		return false
	}
	for {
		v, err, ok := it.next()
		if !ok {
			return false
		}
		if errors.Is(err, netlink.ErrDumpRestarted) {
			// Objects already yielded were consistent when read; the
			// script cannot take them back, so say so and stop.
			it.fail(fmt.Errorf("%s: %w: the table changed during the dump; run it again", it.d.fn, netlink.ErrDumpInterrupted))
			return false
		}
		if err != nil {
			it.fail(it.d.spec.explain(it.d.fn, err))
			return false
		}
		own, err := schema.Decode(it.d.spec.Object.Message, append([]byte(nil), v.Bytes()...))
		if err != nil {
			it.fail(fmt.Errorf("%s: %w", it.d.fn, err))
			return false
		}
		*p = object.New(it.d.spec.Module, own)
		return true
	}
}

// Done ends the dump and closes its socket, also when the loop was left
// early.
func (it *dumpIterator) Done() {
	if it.stop != nil {
		it.stop()
	}
	if it.conn != nil {
		it.conn.Close()
	}
}
