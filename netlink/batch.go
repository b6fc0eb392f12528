package netlink

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// ErrNoAck marks a request of a batch whose outcome is unknown: the batch
// stopped (on a transport error or a cancelled context) before the kernel's
// acknowledgement for it was read. It may or may not have been applied.
var ErrNoAck = errors.New("netlink: no acknowledgement received: outcome unknown")

// ErrNotSent marks a request of a batch that was never sent, because the
// batch stopped before its turn.
var ErrNotSent = errors.New("netlink: request not sent")

// BatchOptions tunes ExecuteBatch. The zero value is a good default.
type BatchOptions struct {
	// PerSend is the most requests sent in one sendmsg. Zero means 256.
	PerSend int
	// MaxSendBytes is the most bytes sent in one sendmsg; it must stay
	// below the socket's send buffer. Zero means 64 KiB.
	MaxSendBytes int
	// StopOnError stops after the sendmsg that holds the first failing
	// request. Requests after it are ErrNotSent. By default every request
	// is sent, and each failure reported against its own request.
	StopOnError bool
	// AckEach asks for an acknowledgement of every request. By default
	// only failures are answered: each sendmsg ends with an NLMSG_NOOP
	// that asks for an ACK, and since the kernel handles a sendmsg's
	// messages in order, that ACK means every request before it without
	// an error of its own succeeded. AckEach costs a receive per request;
	// use it to see the warnings the kernel attaches to successful ACKs.
	AckEach bool
}

// BatchError reports the failures of a batch: one entry per request, in the
// order they were given, nil for each request the kernel applied.
type BatchError struct {
	Errors []error
}

func (e *BatchError) Error() string {
	var n int
	var first error
	var at int
	for i, err := range e.Errors {
		if err != nil {
			if first == nil {
				first, at = err, i
			}
			n++
		}
	}
	return fmt.Sprintf("netlink: batch: %d of %d requests failed; first, request %d: %v", n, len(e.Errors), at, first)
}

// Unwrap returns the individual failures, so errors.Is and errors.As look
// into them.
func (e *BatchError) Unwrap() []error {
	var errs []error
	for _, err := range e.Errors {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// ExecuteBatch sends many requests, pipelined: msgs holds them back to back,
// as an Encoder writes them, and many go into each sendmsg. Every request
// gets NLM_F_REQUEST|NLM_F_ACK and its own sequence number, and the
// acknowledgements are matched to requests by that number.
//
// It returns nil when every request succeeded, a *BatchError whose Errors
// has one entry per request when some failed (each a *packet.Error naming
// its own request, ErrNoAck or ErrNotSent), or another error when msgs is
// malformed.
func (c *Conn) ExecuteBatch(ctx context.Context, msgs []byte, opts BatchOptions) error {
	if opts.PerSend <= 0 {
		opts.PerSend = 256
	}
	if opts.MaxSendBytes <= 0 {
		opts.MaxSendBytes = 64 << 10
	}
	var starts []int
	s := packet.NewMessageScanner(msgs)
	for off := 0; s.Next(); off = s.Offset() {
		starts = append(starts, off)
	}
	if err := s.Err(); err != nil {
		return fmt.Errorf("netlink: batch: %w", err)
	}
	if len(starts) == 0 {
		return nil
	}
	starts = append(starts, len(msgs))
	c.mu.Lock()
	defer c.mu.Unlock()
	stop := c.watch(ctx)
	errs, failed, err := c.executeBatch(msgs, starts, opts)
	if err = stop(err); err != nil {
		for i := range errs {
			if errs[i] == errNoAckYet {
				errs[i] = fmt.Errorf("%w: %w", ErrNoAck, err)
			}
		}
		failed = true
	}
	if !failed {
		return nil
	}
	return &BatchError{Errors: errs}
}

// ackSpace is what one queued acknowledgement costs the receive buffer: the
// kernel charges an skb's truesize, about 1 KiB for a short NLMSG_ERROR, and
// a little more for one with an extended-ACK message.
const ackSpace = 2048

// growReadBuffer raises SO_RCVBUF to at least n bytes, so that the
// acknowledgements of one sendmsg fit. Failing to raise it is not an error:
// an overflow is still detected and reported.
func (c *Conn) growReadBuffer(n int) {
	_ = c.raw.Control(func(fd uintptr) {
		// The kernel reports twice the size that was set.
		if cur, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF); err == nil && cur/2 >= n {
			return
		}
		_ = setReadBuffer(int(fd), n)
	})
}

// errNoAckYet marks a request whose acknowledgement is still awaited.
var errNoAckYet = errors.New("netlink: awaiting acknowledgement")

func (c *Conn) executeBatch(msgs []byte, starts []int, opts BatchOptions) (errs []error, failed bool, err error) {
	n := len(starts) - 1
	errs = make([]error, n)
	for i := range errs {
		errs[i] = ErrNotSent
	}
	if err := c.drain(); err != nil {
		return errs, true, err
	}
	c.growReadBuffer(min(n, opts.PerSend) * ackSpace)
	if c.seq > ^uint32(0)-uint32(n)-1 {
		c.seq = 0 // keep the batch's numbers contiguous
	}
	base := c.seq + 1
	perRequest := uint16(0)
	if opts.AckEach {
		perRequest = unix.NLM_F_ACK
	}
	for i := range n {
		m := msgs[starts[i]:starts[i+1]]
		packet.SetSeq(m, c.nextSeq())
		setFlags(m, unix.NLM_F_REQUEST|perRequest)
		if !opts.AckEach {
			clearFlags(m, unix.NLM_F_ACK)
		}
	}
	var barrier [packet.HeaderLen]byte
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && hi-lo < opts.PerSend && starts[hi+1]-starts[lo] <= opts.MaxSendBytes {
			hi++
		}
		var barrierSeq uint32
		chunk := [][]byte{msgs[starts[lo]:starts[hi]]}
		if !opts.AckEach {
			barrierSeq = c.nextSeq()
			packet.PutHeader(barrier[:], unix.NlMsghdr{Len: packet.HeaderLen, Type: unix.NLMSG_NOOP,
				Flags: unix.NLM_F_REQUEST | unix.NLM_F_ACK, Seq: barrierSeq})
			chunk = append(chunk, barrier[:])
		}
		if err := c.sendv(chunk); err != nil {
			return errs, true, err
		}
		for i := lo; i < hi; i++ {
			errs[i] = errNoAckYet
		}
		// The kernel handles a sendmsg synchronously, so every answer for
		// this chunk is queued by now; reading them before the next send
		// keeps the receive buffer from overflowing.
		if err := c.readAcks(msgs, starts, base, lo, hi, barrierSeq, errs, &failed); err != nil {
			return errs, true, err
		}
		lo = hi
		if failed && opts.StopOnError {
			break
		}
	}
	return errs, failed, nil
}

func clearFlags(b []byte, clear uint16) {
	f := binary.NativeEndian.Uint16(b[6:8])
	binary.NativeEndian.PutUint16(b[6:8], f&^clear)
}

// readAcks reads the answers to requests lo..hi-1: an acknowledgement of
// each, or, with a barrier (barrierSeq != 0), the errors of the failing
// ones and then the barrier's ACK, which settles the rest as successes.
func (c *Conn) readAcks(msgs []byte, starts []int, base uint32, lo, hi int, barrierSeq uint32, errs []error, failed *bool) error {
	pending := hi - lo
	for pending > 0 {
		s, err := c.receiveFromKernel()
		if err != nil {
			return err
		}
		for s.Next() {
			m := s.Message()
			if m.Header.Type != unix.NLMSG_ERROR {
				continue
			}
			if barrierSeq != 0 && m.Header.Seq == barrierSeq {
				for i := lo; i < hi; i++ {
					if errs[i] == errNoAckYet {
						errs[i] = nil
					}
				}
				pending = 0
				continue
			}
			i := int(m.Header.Seq - base)
			if m.Header.Seq < base || i < lo || i >= hi || errs[i] != errNoAckYet {
				continue
			}
			errs[i] = replyError(m, msgs[starts[i]:starts[i+1]])
			if errs[i] != nil {
				*failed = true
			}
			pending--
		}
		if err := s.Err(); err != nil {
			return err
		}
	}
	return nil
}
