package bindings

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// Batch collects change requests made through the same functions as the
// modules' (b.route.add(...)) and sends them together, pipelined, when the
// script calls commit(). With rollback=True, a failing commit undoes the
// requests that were applied.
type Batch struct {
	name    string
	sess    *Session
	specs   []*ObjectSpec
	entries []*batchEntry
	done    bool
	memo    map[string]any
	modules map[string]*starlarkstruct.Module
}

type batchEntry struct {
	spec *ObjectSpec
	op   objects.Op
	fn   string
	req  []byte
	// fields are the request's fields, kept to encode its undo.
	fields schema.Fields
	// undo is the request that reverses this one, encoded before commit;
	// nil when it cannot be undone, with why in undoErr. An add's undo, a
	// delete of the same fields, is encoded only if a rollback needs it.
	undo    []byte
	undoErr error
}

// NewBatch returns an empty batch over the objects of specs. name is its
// Starlark type, e.g. "ip.batch".
func NewBatch(name string, sess *Session, specs []*ObjectSpec) *Batch {
	return &Batch{name: name, sess: sess, specs: specs, memo: map[string]any{}, modules: map[string]*starlarkstruct.Module{}}
}

var _ starlark.HasAttrs = (*Batch)(nil)

func (b *Batch) String() string        { return fmt.Sprintf("<%s of %d requests>", b.name, len(b.entries)) }
func (b *Batch) Type() string          { return b.name }
func (b *Batch) Freeze()               {}
func (b *Batch) Truth() starlark.Bool  { return starlark.Bool(len(b.entries) > 0) }
func (b *Batch) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: %s", b.name) }

// Len returns the number of requests collected.
func (b *Batch) Len() int { return len(b.entries) }

// Attr returns an object's collecting functions, or commit.
func (b *Batch) Attr(name string) (starlark.Value, error) {
	if name == "commit" {
		return starlark.NewBuiltin(b.name+".commit", b.commit), nil
	}
	if m, ok := b.modules[name]; ok {
		return m, nil
	}
	for _, spec := range b.specs {
		if short := spec.Module[strings.LastIndexByte(spec.Module, '.')+1:]; short == name {
			m := &starlarkstruct.Module{Name: b.name + "." + name, Members: b.functions(spec)}
			b.modules[name] = m
			return m, nil
		}
	}
	return nil, nil
}

// AttrNames lists the objects and commit.
func (b *Batch) AttrNames() []string {
	names := []string{"commit"}
	for _, spec := range b.specs {
		if spec.Object.New != 0 || spec.Object.Del != 0 {
			names = append(names, spec.Module[strings.LastIndexByte(spec.Module, '.')+1:])
		}
	}
	return names
}

func (b *Batch) functions(spec *ObjectSpec) starlark.StringDict {
	fns := starlark.StringDict{}
	for _, op := range []objects.Op{objects.Add, objects.Set, objects.Change, objects.Replace, objects.Append, objects.Delete} {
		if _, _, err := objects.MessageType(spec.Object, op); err != nil {
			continue
		}
		fn := b.name + "." + spec.Module[strings.LastIndexByte(spec.Module, '.')+1:] + "." + op.String()
		fns[op.String()] = starlark.NewBuiltin(fn, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			return starlark.None, b.collect(th, spec, fn, op, args, kw)
		})
	}
	return fns
}

// collect encodes one request into the batch, and the request that would
// undo it.
func (b *Batch) collect(th *starlark.Thread, spec *ObjectSpec, fn string, op objects.Op, args starlark.Tuple, kw []starlark.Tuple) error {
	if b.done {
		return fmt.Errorf("%s: the batch was already committed", fn)
	}
	c := &Call{Thread: th, Session: b.sess, Fn: fn, Op: op, Memo: b.memo}
	defer c.done()
	f, _, err := spec.fields(fn, spec.Positional[op.String()], args, kw)
	if err != nil {
		return err
	}
	if err := spec.prepare(c, f); err != nil {
		return err
	}
	if len(c.cleanups) > 0 {
		return fmt.Errorf("%s: this request refers to an open file (netns=) and cannot wait for commit; make it outside the batch", fn)
	}
	req, err := spec.Encode(op, f)
	if err != nil {
		return fmt.Errorf("%s: %w", fn, spec.argError(err))
	}
	e := &batchEntry{spec: spec, op: op, fn: fn, req: req, fields: f}
	if op != objects.Add {
		e.undo, e.undoErr = b.undo(c, spec, op, f)
	}
	b.entries = append(b.entries, e)
	return nil
}

// undo works out the request that reverses op on the object f describes:
// deleting what add creates, and restoring what the others change, from
// the object as it is now.
func (b *Batch) undo(c *Call, spec *ObjectSpec, op objects.Op, f schema.Fields) ([]byte, error) {
	if b.sess.Mode() != Full {
		return nil, nil
	}
	key := schema.Fields{}
	for _, k := range spec.Object.Key {
		if v, ok := f[k]; ok {
			key[k] = v
		}
	}
	client, err := c.Client(spec)
	if err != nil {
		return nil, err
	}
	views, err := client.List(Context(c.Thread), spec.Object, key)
	if err != nil {
		return nil, fmt.Errorf("cannot read the object to restore it: %w", err)
	}
	switch {
	case len(views) == 0 && op == objects.Replace:
		return spec.Encode(objects.Delete, f) // replace created it
	case len(views) == 0:
		return nil, errors.New("the object does not exist, so there is nothing to restore")
	case len(views) > 1:
		return nil, fmt.Errorf("%d objects match %v; cannot tell which to restore", len(views), key)
	}
	old := FieldsOf(views[0])
	if op == objects.Delete {
		return spec.Encode(objects.Add, old)
	}
	return spec.Encode(objects.Replace, old)
}

// commit sends the batch: commit(rollback=False, check=True).
func (b *Batch) commit(th *starlark.Thread, bi *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	rollback, check := false, true
	if err := starlark.UnpackArgs(bi.Name(), args, kw, "rollback?", &rollback, "check?", &check); err != nil {
		return nil, err
	}
	if b.done {
		return nil, fmt.Errorf("%s: the batch was already committed", bi.Name())
	}
	b.done = true
	if len(b.entries) == 0 {
		return batchResult(0, nil, false, nil), nil
	}
	send, err := b.sess.Permit(bi.Name(), func() string {
		lines := make([]string, len(b.entries))
		for i, e := range b.entries {
			lines[i] = e.spec.Describe(e.req)
		}
		return strings.Join(lines, "\ndry-run: ")
	})
	if err != nil {
		return nil, err
	}
	if !send {
		return batchResult(len(b.entries), nil, false, nil), nil
	}
	// Every object of a batch is of one family, so of one protocol.
	spec := b.entries[0].spec
	conn, err := b.sess.Conn(spec.Family.Protocol)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bi.Name(), err)
	}
	var msgs []byte
	for _, e := range b.entries {
		msgs = append(msgs, e.req...)
	}
	ctx := Context(th)
	err = objects.New(conn, spec.Family).Explain(conn.ExecuteBatch(ctx, msgs, netlink.BatchOptions{}))
	var be *netlink.BatchError
	if err != nil && !errors.As(err, &be) {
		return nil, fmt.Errorf("%s: %w", bi.Name(), err)
	}
	failed := map[int]error{}
	if be != nil {
		for i, e := range be.Errors {
			if e != nil {
				failed[i] = b.entries[i].spec.explain(b.entries[i].fn, e)
			}
		}
	}
	var rollbackErrs []error
	rolledBack := false
	if len(failed) > 0 && rollback {
		rolledBack = true
		rollbackErrs = b.rollback(ctx, conn, failed)
	}
	res := batchResult(len(b.entries)-len(failed), b.failures(failed), rolledBack, rollbackErrs)
	if check && len(failed) > 0 {
		return nil, b.error(bi.Name(), failed, rolledBack, rollbackErrs)
	}
	return res, nil
}

// rollback undoes, newest first, every request that was applied.
func (b *Batch) rollback(ctx context.Context, conn Conn, failed map[int]error) []error {
	var errs []error
	var msgs []byte
	var which []int
	for i := len(b.entries) - 1; i >= 0; i-- {
		e := b.entries[i]
		if _, bad := failed[i]; bad {
			continue
		}
		if e.op == objects.Add {
			e.undo, e.undoErr = e.spec.Encode(objects.Delete, e.fields)
		}
		if e.undo == nil {
			why := e.undoErr
			if why == nil {
				why = errors.New("no undo is known for it")
			}
			errs = append(errs, fmt.Errorf("request %d (%s) cannot be undone: %w", i, e.fn, why))
			continue
		}
		msgs = append(msgs, e.undo...)
		which = append(which, i)
	}
	if len(msgs) == 0 {
		return errs
	}
	err := conn.ExecuteBatch(ctx, msgs, netlink.BatchOptions{})
	var be *netlink.BatchError
	switch {
	case errors.As(err, &be):
		for j, e := range be.Errors {
			if e != nil {
				errs = append(errs, fmt.Errorf("undoing request %d (%s): %w", which[j], b.entries[which[j]].fn, e))
			}
		}
	case err != nil:
		errs = append(errs, fmt.Errorf("rollback: %w", err))
	}
	return errs
}

func (b *Batch) failures(failed map[int]error) []starlark.Value {
	var out []starlark.Value
	for i := range b.entries {
		err, bad := failed[i]
		if !bad {
			continue
		}
		errno := starlark.Value(starlark.None)
		msg := err.Error()
		var pe *packet.Error
		if errors.As(err, &pe) {
			errno = starlark.String(packet.ErrnoName(pe.Errno))
			msg = pe.Message
		}
		out = append(out, starlarkstruct.FromStringDict(starlark.String("ip.batch.failure"), starlark.StringDict{
			"index":   starlark.MakeInt(i),
			"request": starlark.String(b.describe(i)),
			"errno":   errno,
			"message": starlark.String(msg),
			"error":   starlark.String(err.Error()),
		}))
	}
	return out
}

func (b *Batch) describe(i int) string {
	e := b.entries[i]
	v, err := schema.Decode(e.spec.Object.Message, e.req[packet.HeaderLen:])
	if err != nil {
		return e.fn
	}
	return e.fn + " " + object.New(e.spec.Module, v).String()
}

func (b *Batch) error(fn string, failed map[int]error, rolledBack bool, rollbackErrs []error) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %d of %d requests failed", fn, len(failed), len(b.entries))
	for i := range b.entries {
		if err, bad := failed[i]; bad {
			fmt.Fprintf(&sb, "\n  request %d: %v\n    %s", i, err, b.describe(i))
		}
	}
	if rolledBack {
		if len(rollbackErrs) == 0 {
			sb.WriteString("\n  the applied requests were rolled back")
		} else {
			sb.WriteString("\n  rollback was incomplete:")
			for _, e := range rollbackErrs {
				fmt.Fprintf(&sb, "\n    %v", e)
			}
		}
	}
	return errors.New(sb.String())
}

func batchResult(applied int, failures []starlark.Value, rolledBack bool, rollbackErrs []error) starlark.Value {
	errs := make([]starlark.Value, len(rollbackErrs))
	for i, e := range rollbackErrs {
		errs[i] = starlark.String(e.Error())
	}
	return starlarkstruct.FromStringDict(starlark.String("ip.batch.result"), starlark.StringDict{
		"ok":              starlark.Bool(len(failures) == 0),
		"applied":         starlark.MakeInt(applied),
		"failed":          starlark.NewList(failures),
		"rolled_back":     starlark.Bool(rolledBack),
		"rollback_errors": starlark.NewList(errs),
	})
}
