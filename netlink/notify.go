package netlink

import (
	"context"
	"errors"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// Notifications yields the multicast messages that arrive for the groups the
// Conn has joined, until ctx ends or the caller breaks out of the loop.
// Messages alias a receive buffer of their own and are valid only until the
// next step.
//
// When the receive buffer overflows, the kernel drops notifications and
// reports ENOBUFS: the loop then yields ErrEventsLost, once per overflow,
// and goes on receiving. It never ends on it and never skips it. Any other
// error ends the loop; when ctx ends, that error is ctx.Err().
//
// Only messages sent by the kernel to a group are yielded; unicast replies
// and messages from other processes are dropped. Notifications reads
// without the request lock, so use a Conn of its own for a subscription.
func (c *Conn) Notifications(ctx context.Context) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
		c.nmu.Lock()
		defer c.nmu.Unlock()
		stop := c.watch(ctx)
		err := c.notifications(yield)
		if err = stop(err); err != nil {
			yield(packet.Message{}, err)
		}
	}
}

func (c *Conn) notifications(yield func(packet.Message, error) bool) error {
	for {
		b, err := c.receive(&c.nbuf, &c.nfrm)
		if errors.Is(err, ErrEventsLost) {
			if !yield(packet.Message{}, ErrEventsLost) {
				return nil
			}
			continue
		}
		if err != nil {
			return err
		}
		if c.nfrm.Pid != 0 {
			continue
		}
		s := packet.NewMessageScanner(b)
		for s.Next() {
			m := s.Message()
			if m.Header.Type == unix.NLMSG_NOOP {
				continue
			}
			if !yield(m, nil) {
				return nil
			}
		}
		if err := s.Err(); err != nil {
			if !yield(packet.Message{}, err) {
				return nil
			}
		}
	}
}
