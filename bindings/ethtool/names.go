package ethtool

import (
	"context"
	"fmt"
	"sync"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
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
	f := schema.Fields{"stringsets": schema.Fields{"stringset": []any{schema.Fields{"id": uint64(set)}}}}
	if dev != 0 {
		f["header"] = schema.Fields{"dev_index": uint64(dev)}
	}
	views, err := c.Do(ctx, ethtool.Family, ethtool.StrSet, f)
	if err != nil {
		return nil, err
	}
	if len(views) != 1 {
		return nil, fmt.Errorf("strset: %d replies, want 1", len(views))
	}
	list, err := stringsOf(views[0])
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

// stringsOf reads the strings of the one string set a strset reply holds.
func stringsOf(v *schema.View) ([]string, error) {
	sets, ok, err := v.Get("stringsets")
	if err != nil || !ok {
		return nil, fmt.Errorf("strset: no stringsets (%v)", err)
	}
	set, ok, err := sets.(*schema.View).Get("stringset")
	if err != nil || !ok {
		return nil, fmt.Errorf("strset: no stringset (%v)", err)
	}
	list, _ := set.([]any)
	if len(list) != 1 {
		return nil, fmt.Errorf("strset: %d string sets, want 1", len(list))
	}
	strs, ok, err := list[0].(*schema.View).Get("strings")
	if err != nil {
		return nil, fmt.Errorf("strset: strings: %w", err)
	}
	if !ok {
		return nil, nil // an empty set
	}
	names := make([]string, 0, len(strs.([]any)))
	for _, s := range strs.([]any) {
		str, _ := s.(string)
		names = append(names, str)
	}
	return names, nil
}
