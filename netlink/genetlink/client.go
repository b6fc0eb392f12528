package genetlink

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// Client sends the operations of generic families that have a schema
// (packet/genl.FamilySpec), resolving each family's id on first use.
//
//	c := genetlink.NewClient(conn, nil)
//	views, err := c.Do(ctx, ethtool.Family, ethtool.Channels,
//		schema.Fields{"header": schema.Fields{"dev_name": "eth0"}})
type Client struct {
	conn     Conn
	resolver *Resolver
}

// NewClient returns a Client that sends on conn and resolves families with
// r, or with a Resolver of its own when r is nil.
func NewClient(conn Conn, r *Resolver) *Client {
	if r == nil {
		r = NewResolver(conn)
	}
	return &Client{conn: conn, resolver: r}
}

// Conn returns the socket the Client sends on, for requests without a
// schema.
func (c *Client) Conn() Conn { return c.conn }

// Resolver returns the Resolver the Client finds families with.
func (c *Client) Resolver() *Resolver { return c.resolver }

// Encode encodes op's request from f, with the family's id (resolved
// through the Client's Resolver), the operation's command and the family's
// version; flags adds to the header's flags (NLM_F_DUMP for a dump). The
// operation's Defaults fill the fields f leaves out.
func (c *Client) Encode(ctx context.Context, fam *genl.FamilySpec, op *genl.Operation, flags uint16, f schema.Fields) ([]byte, error) {
	family, err := c.resolver.Family(ctx, fam.Name)
	if err != nil {
		return nil, err
	}
	if op.Request.HeaderLen() < unix.GENL_HDRLEN {
		return nil, &OpError{Family: fam.Name, Op: op.Name, Err: errors.New("the request's schema has no genlmsghdr")}
	}
	// The command and version are the operation's: they are written into
	// genlmsghdr after encoding, so that f is encoded as it is, without a
	// copy. Fields that name them anyway are dropped, and the operation's
	// Defaults added, on a copy.
	_, hasCmd := f["cmd"]
	_, hasVersion := f["version"]
	defaults := false
	for name := range op.Defaults {
		if _, given := f[name]; !given {
			defaults = true
		}
	}
	if hasCmd || hasVersion || defaults {
		f = maps.Clone(f)
		if f == nil {
			f = schema.Fields{}
		}
		delete(f, "cmd")
		delete(f, "version")
		for name, val := range op.Defaults {
			if _, given := f[name]; !given {
				f[name] = val
			}
		}
	}
	var e packet.Encoder
	e.Reset(make([]byte, 0, requestSize))
	if err := op.Request.Encode(&e, family.ID, flags, f); err != nil {
		return nil, &OpError{Family: fam.Name, Op: op.Name, Err: err}
	}
	req := e.Bytes()
	req[unix.NLMSG_HDRLEN], req[unix.NLMSG_HDRLEN+1] = op.Cmd, fam.Version
	return req, nil
}

// OpError is an operation's request that could not be made: its message
// names the family and the operation before the error it wraps (often a
// *schema.FieldError), and is made when asked for, so that a caller that
// renames the field to its own argument (bindings/genl) is heard.
type OpError struct {
	Family, Op string
	Err        error
}

func (e *OpError) Error() string { return e.Family + " " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the error of the request.
func (e *OpError) Unwrap() error { return e.Err }

// requestSize is the buffer Encode starts with: room for the headers and a
// few attributes (a get's device nest, most sets), so that a request is one
// allocation.
const requestSize = 128

// explain names a kernel error after the operation and the attribute the
// extended ACK blames.
func explain(fam *genl.FamilySpec, op *genl.Operation, err error) error {
	var pe *packet.Error
	if errors.As(err, &pe) {
		if pe.Op == "" {
			pe.Op = fam.Name + " " + op.Name
		}
		op.Request.NameError(pe)
	}
	return err
}

// decode reads a reply; it keeps payload.
func decode(op *genl.Operation, payload []byte) (*schema.View, error) {
	v, err := schema.Decode(op.Reply, payload)
	if err != nil {
		return nil, fmt.Errorf("%s reply: %w", op.Name, err)
	}
	return v, nil
}

// Do sends op once and returns the kernel's replies, each owning its
// bytes. An operation without a Reply schema (a set, answered by an ACK)
// returns none.
func (c *Client) Do(ctx context.Context, fam *genl.FamilySpec, op *genl.Operation, f schema.Fields) ([]*schema.View, error) {
	req, err := c.Encode(ctx, fam, op, 0, f)
	if err != nil {
		return nil, err
	}
	return c.Execute(ctx, fam, op, req)
}

// Execute sends req, encoded by Encode for op, and decodes the kernel's
// replies.
func (c *Client) Execute(ctx context.Context, fam *genl.FamilySpec, op *genl.Operation, req []byte) ([]*schema.View, error) {
	replies, err := c.conn.Execute(ctx, req)
	if err != nil {
		return nil, explain(fam, op, err)
	}
	if op.Reply == nil {
		return nil, nil
	}
	views := make([]*schema.View, 0, len(replies))
	for _, m := range replies {
		v, err := decode(op, m.Data)
		if err != nil {
			return nil, err
		}
		views = append(views, v)
	}
	return views, nil
}

// Dump sends op as a dump and returns every reply, each owning its bytes:
// one per device for ethtool's operations. The replies' bytes and Views are
// allocated a block at a time, not one by one, so a View kept alone keeps
// the rest of its block alive.
func (c *Client) Dump(ctx context.Context, fam *genl.FamilySpec, op *genl.Operation, f schema.Fields) ([]*schema.View, error) {
	req, err := c.Encode(ctx, fam, op, unix.NLM_F_DUMP, f)
	if err != nil {
		return nil, err
	}
	var (
		views []*schema.View
		block []schema.View
		buf   []byte
		// The blocks start small, for dumps of a device or two, and
		// double up to maxViewBlock Views and maxByteBlock bytes.
		viewBlock, byteBlock = 8, 1 << 10
	)
	for m, err := range c.conn.Dump(ctx, req) {
		if err != nil {
			return nil, explain(fam, op, err)
		}
		if len(block) == 0 {
			block = make([]schema.View, viewBlock)
			viewBlock = min(2*viewBlock, maxViewBlock)
		}
		if cap(buf)-len(buf) < len(m.Data) {
			buf = make([]byte, 0, max(len(m.Data), byteBlock))
			byteBlock = min(2*byteBlock, maxByteBlock)
		}
		start := len(buf)
		buf = append(buf, m.Data...)
		v := &block[0]
		block = block[1:]
		if err := v.Reset(op.Reply, buf[start:len(buf):len(buf)]); err != nil {
			return nil, fmt.Errorf("%s reply: %w", op.Name, err)
		}
		views = append(views, v)
	}
	return views, nil
}

// Stream sends op as a dump and yields each reply as it arrives, decoded
// into one View that is reused: the View and its bytes are valid only
// until the next step, so the dump's memory does not grow with its size.
// Breaking out of the loop ends the dump.
//
//	for v, err := range c.Stream(ctx, ethtool.Family, ethtool.LinkState, nil) {
//		if err != nil {
//			return err
//		}
//		link, _, _ := v.Get("link")
//	}
func (c *Client) Stream(ctx context.Context, fam *genl.FamilySpec, op *genl.Operation, f schema.Fields) iter.Seq2[*schema.View, error] {
	return func(yield func(*schema.View, error) bool) {
		req, err := c.Encode(ctx, fam, op, unix.NLM_F_DUMP, f)
		if err != nil {
			yield(nil, err)
			return
		}
		var v schema.View
		for m, err := range c.conn.Dump(ctx, req) {
			if err != nil {
				yield(nil, explain(fam, op, err))
				return
			}
			if err := v.Reset(op.Reply, m.Data); err != nil {
				yield(nil, fmt.Errorf("%s reply: %w", op.Name, err))
				return
			}
			if !yield(&v, nil) {
				return
			}
		}
	}
}

// maxViewBlock and maxByteBlock bound the blocks Dump allocates its Views
// and the replies' bytes in.
const (
	maxViewBlock = 256
	maxByteBlock = 32 << 10
)
