package netlink

import (
	"context"
	"errors"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// Notifications yields the messages the kernel sends the socket on its
// own: the multicast notifications of the groups the Conn has joined, and
// the messages it unicasts to the socket outside any request (TASKSTATS
// sends a socket registered for a set of CPUs the statistics of each task
// that exits on them). The loop goes on until ctx ends or the caller
// breaks out of it.
// Messages alias a receive buffer of their own and are valid only until the
// next step.
//
// When the receive buffer overflows, the kernel drops notifications and
// reports ENOBUFS: the loop then yields ErrEventsLost, once per overflow,
// and goes on receiving. It never ends on it and never skips it. Any other
// error ends the loop; when ctx ends, that error is ctx.Err().
//
// Only messages sent by the kernel are yielded; messages from other
// processes are dropped. The address does not tell a multicast message
// from a unicast one (nl_groups is 0 for groups above 32), so the caller
// picks its messages by type. Notifications reads without the request
// lock, so use a Conn of its own for a subscription; a request made on it
// before the loop (to start the kernel's messages) reads its own reply.
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
