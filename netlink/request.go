package netlink

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// ErrDumpInterrupted reports that the kernel flagged a dump with
// NLM_F_DUMP_INTR: the table changed while it was being dumped, so the
// messages may be inconsistent. Dump yields it after the last message,
// unless RetryInterrupted let it start over.
var ErrDumpInterrupted = errors.New("netlink: dump interrupted (NLM_F_DUMP_INTR): the table changed during the dump")

// ErrDumpRestarted is yielded by a dump that was interrupted and is being
// run again, because of RetryInterrupted. The messages yielded before it
// belong to the abandoned attempt: a consumer that collects them should
// discard what it has and keep going.
var ErrDumpRestarted = errors.New("netlink: dump interrupted and restarted")

// DumpOption changes how Dump runs.
type DumpOption func(*dumpOptions)

type dumpOptions struct{ retries int }

// RetryInterrupted makes Dump start over, up to n times, when the kernel
// flags it as interrupted. See ErrDumpRestarted.
func RetryInterrupted(n int) DumpOption { return func(o *dumpOptions) { o.retries = n } }

// checkRequest validates that req holds exactly one message.
func checkRequest(req []byte) error {
	h, err := packet.ParseHeader(req)
	if err != nil {
		return err
	}
	if int(h.Len) != len(req) {
		return fmt.Errorf("netlink: request length field %d does not match its %d bytes", h.Len, len(req))
	}
	return nil
}

func setFlags(b []byte, set uint16) {
	f := binary.NativeEndian.Uint16(b[6:8])
	binary.NativeEndian.PutUint16(b[6:8], f|set)
}

// fromKernel reports whether the datagram just received is a unicast reply
// from the kernel, rather than a notification or a message from another
// process.
func fromKernel(from *unix.RawSockaddrNetlink) bool { return from.Pid == 0 && from.Groups == 0 }

// replyError turns an NLMSG_ERROR or NLMSG_DONE carrying an errno into an
// *packet.Error that remembers the request it answers. It returns nil for a
// plain acknowledgement.
func replyError(m packet.Message, req []byte) error {
	e, err := packet.ParseError(m)
	if err != nil {
		return err
	}
	if e.Errno == 0 {
		return nil
	}
	e.Request = bytes.Clone(req)
	return e
}

// Execute sends one request and waits for the kernel to acknowledge it. It
// sets NLM_F_REQUEST and NLM_F_ACK, and the sequence number, in req itself.
// Replies that come before the acknowledgement (the answer to a GET, or
// echoed objects with NLM_F_ECHO) are returned; they own their bytes.
//
// A kernel error is returned as a *packet.Error with every extended-ACK
// field and a copy of the request, so the offending attribute can be found.
func (c *Conn) Execute(ctx context.Context, req []byte) ([]packet.Message, error) {
	if err := checkRequest(req); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	stop := c.watch(ctx)
	replies, err := c.execute(req)
	return replies, stop(err)
}

func (c *Conn) execute(req []byte) ([]packet.Message, error) {
	if err := c.drain(); err != nil {
		return nil, err
	}
	seq := c.nextSeq()
	packet.SetSeq(req, seq)
	setFlags(req, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	if err := c.send(req); err != nil {
		return nil, err
	}
	var replies []packet.Message
	for {
		s, err := c.receiveFromKernel()
		if err != nil {
			return replies, err
		}
		for s.Next() {
			m := s.Message()
			if m.Header.Seq != seq {
				continue
			}
			switch m.Header.Type {
			case unix.NLMSG_ERROR:
				return replies, replyError(m, req)
			case unix.NLMSG_DONE:
				if err := replyError(m, req); err != nil {
					return replies, err
				}
			case unix.NLMSG_NOOP:
			default:
				m.Data = bytes.Clone(m.Data)
				replies = append(replies, m)
			}
		}
		if err := s.Err(); err != nil {
			return replies, err
		}
	}
}

// Dump sends a dump request (it sets NLM_F_REQUEST|NLM_F_DUMP and the
// sequence number in req) and yields the messages of the reply as they
// arrive. Memory does not grow with the size of the dump: each message
// aliases the Conn's receive buffer and is valid only until the next step.
//
// The loop ends after the last message, at the first error, or when the
// caller breaks out of it. An error from the kernel is a *packet.Error. A
// dump flagged NLM_F_DUMP_INTR ends with ErrDumpInterrupted, or, with
// RetryInterrupted, starts over after yielding ErrDumpRestarted.
//
// The Conn is held for the whole loop: the loop body must not make other
// requests on the same Conn.
func (c *Conn) Dump(ctx context.Context, req []byte, opts ...DumpOption) iter.Seq2[packet.Message, error] {
	var o dumpOptions
	for _, opt := range opts {
		opt(&o)
	}
	return func(yield func(packet.Message, error) bool) {
		if err := checkRequest(req); err != nil {
			yield(packet.Message{}, err)
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		stop := c.watch(ctx)
		// yielding is false once the caller has broken out of its loop.
		yielding := true
		err := c.dump(req, o, func(m packet.Message, err error) bool {
			yielding = yield(m, err)
			return yielding
		})
		if err = stop(err); err != nil && yielding {
			yield(packet.Message{}, err)
		}
	}
}

// dump runs the dump protocol. It returns the error that ended it, if any,
// without yielding it.
func (c *Conn) dump(req []byte, o dumpOptions, yield func(packet.Message, error) bool) error {
	if err := c.drain(); err != nil {
		return err
	}
	setFlags(req, unix.NLM_F_REQUEST|unix.NLM_F_DUMP)
	for attempt := 0; ; attempt++ {
		seq := c.nextSeq()
		packet.SetSeq(req, seq)
		if err := c.send(req); err != nil {
			return err
		}
		interrupted, broke, err := c.dumpOnce(req, seq, o.retries > attempt, yield)
		if broke {
			return nil
		}
		if err != nil {
			return err
		}
		if !interrupted {
			return nil
		}
		if attempt >= o.retries {
			return ErrDumpInterrupted
		}
		if !yield(packet.Message{}, ErrDumpRestarted) {
			return nil
		}
	}
}

// dumpOnce reads one dump to its end. Once the dump is seen to be
// interrupted and stopEarly is set, the rest is read but not yielded.
func (c *Conn) dumpOnce(req []byte, seq uint32, stopEarly bool, yield func(packet.Message, error) bool) (interrupted, broke bool, err error) {
	for {
		s, err := c.receiveFromKernel()
		if err != nil {
			c.abandon(seq)
			return interrupted, false, err
		}
		for s.Next() {
			m := s.Message()
			if m.Header.Seq != seq {
				continue
			}
			if m.Header.Flags&unix.NLM_F_DUMP_INTR != 0 {
				interrupted = true
			}
			switch m.Header.Type {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				return interrupted, false, replyError(m, req)
			case unix.NLMSG_NOOP:
				continue
			}
			if interrupted && stopEarly {
				continue
			}
			if !yield(m, nil) {
				c.abandonRest(&s, seq)
				return interrupted, true, nil
			}
		}
		if err := s.Err(); err != nil {
			c.abandon(seq)
			return interrupted, false, err
		}
	}
}

// abandon records that the dump seq was left before its end.
func (c *Conn) abandon(seq uint32) {
	c.draining = true
	c.drainSeq = seq
}

// abandonRest records that the dump seq was left before its end, unless
// the end is already in the rest of the datagram being scanned.
func (c *Conn) abandonRest(s *packet.MessageScanner, seq uint32) {
	for s.Next() {
		m := s.Message()
		if m.Header.Seq == seq && (m.Header.Type == unix.NLMSG_DONE || m.Header.Type == unix.NLMSG_ERROR) {
			return
		}
	}
	c.abandon(seq)
}

// drain reads an abandoned dump to its end. The kernel runs one dump per
// socket at a time and answers a new one with EBUSY until the old one is
// read out.
func (c *Conn) drain() error {
	for c.draining {
		s, err := c.receiveFromKernel()
		if err != nil {
			return err
		}
		for s.Next() {
			m := s.Message()
			if m.Header.Seq == c.drainSeq && (m.Header.Type == unix.NLMSG_DONE || m.Header.Type == unix.NLMSG_ERROR) {
				c.draining = false
			}
		}
		if s.Err() != nil {
			// The rest of that datagram is unreadable; it was the
			// abandoned dump's, so there is nothing to lose.
			c.draining = false
		}
	}
	return nil
}
