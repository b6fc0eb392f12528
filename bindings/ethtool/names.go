package ethtool

import (
	"context"
	"sync"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
)

// bitNames names the bits of the compact bitsets in ethtool's
// notifications, from the kernel's string sets. The global sets (features,
// link modes, ...) are fixed while the kernel runs and are read once per
// session; a device's own (its private flags) are read for each
// notification that needs them.
type bitNames struct {
	sess   *bindings.Session
	mu     sync.Mutex
	global map[uint32][]string
}

// rewrite is the family's Binding.Rewrite.
func (n *bitNames) rewrite(ctx context.Context, ev *genl.Event, payload []byte) ([]byte, error) {
	return ethtool.NameBits(ev.Message, payload, func(set, dev uint32) ([]string, error) {
		return n.lookup(ctx, set, dev)
	})
}

// lookup returns the strings of set, of device dev when it is not 0.
func (n *bitNames) lookup(ctx context.Context, set, dev uint32) ([]string, error) {
	if dev == 0 {
		n.mu.Lock()
		list, ok := n.global[set]
		n.mu.Unlock()
		if ok {
			return list, nil
		}
	}
	c, err := n.sess.Genetlink()
	if err != nil {
		return nil, err
	}
	views, err := c.Do(ctx, ethtool.Family, ethtool.StrSet, ethtool.StringSetRequest(set, dev))
	if err != nil {
		return nil, err
	}
	list, err := ethtool.StringSetOf(views)
	if err != nil {
		return nil, err
	}
	if dev == 0 {
		n.mu.Lock()
		n.global[set] = list
		n.mu.Unlock()
	}
	return list, nil
}
