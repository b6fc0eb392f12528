// Package objects runs the requests of any schema-described family — list,
// get, add, change, replace and delete of its objects — over one netlink
// Conn. It holds no family-specific code: the family's schema.Family says
// which message types to send and how to encode and decode them, so a new
// family needs a schema and nothing here.
//
//	c := objects.New(conn, route.Family)
//	for v, err := range c.Dump(ctx, route.Route, schema.Fields{"table": 100}) {
//		if err != nil {
//			return err
//		}
//		r := route.RouteOf(v) // valid until the next step
//		fmt.Println(r.Dst(), r.OIF())
//	}
//	err := c.Do(ctx, route.Addr, objects.Add, schema.Fields{
//		"family": unix.AF_INET, "local": "10.0.0.1", "address": "10.0.0.1",
//		"prefixlen": 24, "ifindex": 3,
//	})
//
// Kernel errors come back as *packet.Error with Op set to the request's
// name (RTM_NEWROUTE) and AttrName to the schema name of the attribute the
// extended ACK points at.
package objects

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// Op is a request that changes objects.
type Op uint8

// The operations. Their flags follow iproute2: add fails if the object
// exists, replace creates or overwrites, change overwrites only.
const (
	// Add creates an object: NEW with NLM_F_CREATE|NLM_F_EXCL.
	Add Op = iota + 1
	// Replace creates or overwrites: NEW with NLM_F_CREATE|NLM_F_REPLACE.
	Replace
	// Change overwrites an existing object: NEW with NLM_F_REPLACE, or
	// the family's own SET request where it has one (a link's
	// RTM_SETLINK; the kernel refuses NLM_F_REPLACE on links).
	Change
	// Append adds to an existing object (another nexthop of a route):
	// NEW with NLM_F_CREATE|NLM_F_APPEND.
	Append
	// Set changes an object with the family's own SET request (a link's
	// RTM_SETLINK), where it has one; otherwise it is Change.
	Set
	// Delete deletes: DEL.
	Delete
)

var opNames = [...]string{Add: "add", Replace: "replace", Change: "change", Append: "append", Set: "set", Delete: "delete"}

func (op Op) String() string {
	if int(op) < len(opNames) && opNames[op] != "" {
		return opNames[op]
	}
	return fmt.Sprintf("op(%d)", uint8(op))
}

// Mutating reports whether the operation changes kernel state. Every Op
// does; the method exists so that permission checks read plainly.
func (op Op) Mutating() bool { return op >= Add && op <= Delete }

// Conn is what a Client sends requests on: a *netlink.Conn, or any other
// transport with the same request protocol — a recorder for a dry run, a
// fake for tests.
type Conn interface {
	Execute(ctx context.Context, req []byte) ([]packet.Message, error)
	Dump(ctx context.Context, req []byte, opts ...netlink.DumpOption) iter.Seq2[packet.Message, error]
	ExecuteBatch(ctx context.Context, msgs []byte, opts netlink.BatchOptions) error
}

// Client runs object requests for one family over one Conn. It is safe for
// concurrent use as far as its Conn is: requests are serialised.
type Client struct {
	conn   Conn
	family *schema.Family
}

// New returns a Client for family over conn. conn must be of the family's
// protocol.
func New(conn Conn, family *schema.Family) *Client {
	return &Client{conn: conn, family: family}
}

// Conn returns the Conn the Client sends on.
func (c *Client) Conn() Conn { return c.conn }

// Family returns the Client's family.
func (c *Client) Family() *schema.Family { return c.family }

// ErrUnsupported reports an operation the kernel has no request for, on
// this object.
var ErrUnsupported = errors.New("not supported for this object")

// MessageType returns the message type and flags that op sends for obj.
func MessageType(obj *schema.Object, op Op) (typ, flags uint16, err error) {
	switch op {
	case Add:
		typ, flags = obj.New, unix.NLM_F_CREATE|unix.NLM_F_EXCL
	case Replace:
		typ, flags = obj.New, unix.NLM_F_CREATE|unix.NLM_F_REPLACE
	case Change:
		typ, flags = obj.New, unix.NLM_F_REPLACE
		if obj.Set != 0 {
			typ, flags = obj.Set, 0
		}
	case Append:
		typ, flags = obj.New, unix.NLM_F_CREATE|unix.NLM_F_APPEND
	case Set:
		typ = obj.Set
		if typ == 0 {
			typ, flags = obj.New, unix.NLM_F_REPLACE
		}
	case Delete:
		typ = obj.Del
	}
	if typ == 0 {
		return 0, 0, fmt.Errorf("%s %s: %w", obj.Name(), op, ErrUnsupported)
	}
	return typ, flags | unix.NLM_F_REQUEST | unix.NLM_F_ACK, nil
}

// Encode appends the request for op on obj, with fields f, to e. It is what
// Do sends, and what a batch or a dry run collects.
func Encode(e *packet.Encoder, obj *schema.Object, op Op, f schema.Fields) error {
	typ, flags, err := MessageType(obj, op)
	if err != nil {
		return err
	}
	if err := obj.Message.Encode(e, typ, flags, f); err != nil {
		return fmt.Errorf("%s %s: %w", obj.Name(), op, err)
	}
	return nil
}

// Do sends one change request and waits for its acknowledgement.
func (c *Client) Do(ctx context.Context, obj *schema.Object, op Op, f schema.Fields) error {
	var e packet.Encoder
	if err := Encode(&e, obj, op, f); err != nil {
		return err
	}
	_, err := c.conn.Execute(ctx, e.Bytes())
	return c.Explain(err)
}

// Get reads one object, as `ip route get` or `ip link show dev X` do: a GET
// request without NLM_F_DUMP, carrying the fields f. The View owns its
// bytes.
func (c *Client) Get(ctx context.Context, obj *schema.Object, f schema.Fields) (*schema.View, error) {
	if obj.Get == 0 {
		return nil, fmt.Errorf("%s get: %w", obj.Name(), ErrUnsupported)
	}
	var e packet.Encoder
	if err := obj.Message.Encode(&e, obj.Get, unix.NLM_F_REQUEST, f); err != nil {
		return nil, fmt.Errorf("%s get: %w", obj.Name(), err)
	}
	replies, err := c.conn.Execute(ctx, e.Bytes())
	if err != nil {
		return nil, c.Explain(err)
	}
	for _, m := range replies {
		if o, _ := c.family.ByType(m.Header.Type); o == obj {
			return schema.Decode(obj.Message, m.Data)
		}
	}
	return nil, fmt.Errorf("%s get: the kernel sent no %s", obj.Name(), obj.Name())
}

// Filter is a compiled dump filter: the fields to send in the request, and
// a matcher every object received must pass.
type Filter struct {
	obj     *schema.Object
	request schema.Fields
	match   *schema.Matcher
}

// NewFilter compiles the filter f for obj. Fields the kernel filters by
// (obj.DumpFilter) go into the request; every field but the DumpOnly ones
// is also checked on each object received, since not every kernel
// filters. Checks compare wire bytes where they can, so filtering decodes
// nothing.
func NewFilter(obj *schema.Object, f schema.Fields) (*Filter, error) {
	flt := &Filter{obj: obj, request: schema.Fields{}}
	local := schema.Fields{}
	for name, val := range f {
		if !slices.Contains(obj.DumpOnly, name) {
			local[name] = val
		}
		if slices.Contains(obj.DumpFilter, name) {
			flt.request[name] = val
		}
	}
	m, err := obj.Message.NewMatcher(local)
	if err != nil {
		return nil, fmt.Errorf("%s filter: %w", obj.Name(), err)
	}
	flt.match = m
	return flt, nil
}

// Match reports whether v has every field of the filter, equal.
func (f *Filter) Match(v *schema.View) bool { return f.match.Match(v) }

// Dump lists the objects of obj that match filter, streaming: each View is
// valid only until the next step (the same View is reused for every
// object), so memory does not grow with the size of the dump. Copy a View's
// fields, or use List, to keep them.
//
// An interrupted dump is retried up to three times; see
// netlink.RetryInterrupted for what ErrDumpRestarted means to a consumer.
func (c *Client) Dump(ctx context.Context, obj *schema.Object, filter schema.Fields) iter.Seq2[*schema.View, error] {
	return func(yield func(*schema.View, error) bool) {
		flt, err := NewFilter(obj, filter)
		if err != nil {
			yield(nil, err)
			return
		}
		var e packet.Encoder
		if err := obj.Message.Encode(&e, obj.Get, unix.NLM_F_REQUEST|unix.NLM_F_DUMP, flt.request); err != nil {
			yield(nil, fmt.Errorf("%s list: %w", obj.Name(), err))
			return
		}
		var v schema.View
		for m, err := range c.conn.Dump(ctx, e.Bytes(), netlink.RetryInterrupted(3)) {
			if err != nil {
				if !yield(nil, c.Explain(err)) {
					return
				}
				continue
			}
			if o, _ := c.family.ByType(m.Header.Type); o != obj {
				continue
			}
			if err := v.Reset(obj.Message, m.Data); err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			if flt.Match(&v) && !yield(&v, nil) {
				return
			}
		}
	}
}

// List returns every object of obj that matches filter. Each View owns a
// copy of its message.
func (c *Client) List(ctx context.Context, obj *schema.Object, filter schema.Fields) ([]*schema.View, error) {
	var out []*schema.View
	for v, err := range c.Dump(ctx, obj, filter) {
		if errors.Is(err, netlink.ErrDumpRestarted) {
			out = out[:0]
			continue
		}
		if err != nil {
			return nil, err
		}
		own, err := schema.Decode(obj.Message, append([]byte(nil), v.Bytes()...))
		if err != nil {
			return nil, err
		}
		out = append(out, own)
	}
	return out, nil
}

// Decode decodes a message of the family, such as a notification: which
// object it is about, what happened to it, and the object. The View aliases
// m.Data.
func (c *Client) Decode(m packet.Message) (*schema.Object, schema.Action, *schema.View, error) {
	obj, action := c.family.ByType(m.Header.Type)
	if obj == nil {
		return nil, schema.ActionNone, nil, fmt.Errorf("%s: message type %d is not one of the family's objects", c.family.Name, m.Header.Type)
	}
	v, err := schema.Decode(obj.Message, m.Data)
	return obj, action, v, err
}

// Explain fills in the names of a kernel error: Op from the family's
// message-type names, and AttrName from the schema path of the attribute
// the extended ACK points at (or of the missing one). Other errors, and
// the failures inside a *netlink.BatchError, are explained in place.
func (c *Client) Explain(err error) error {
	var be *netlink.BatchError
	if errors.As(err, &be) {
		for _, e := range be.Errors {
			c.Explain(e)
		}
		return err
	}
	var pe *packet.Error
	if !errors.As(err, &pe) || pe.Request == nil {
		return err
	}
	h, herr := packet.ParseHeader(pe.Request)
	if herr != nil {
		return err
	}
	if pe.Op == "" {
		pe.Op = c.family.TypeName(h.Type)
	}
	if obj, _ := c.family.ByType(h.Type); obj != nil {
		obj.Message.NameError(pe)
	}
	return err
}
