package ethtool_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// names is a BitNames over fixed tables: features, and device 5's private
// flags.
func names(set, dev uint32) ([]string, error) {
	switch {
	case set == 4: // ETH_SS_FEATURES
		return []string{"sg", "ip-csum", "gro"}, nil
	case set == 2 && dev == 5: // ETH_SS_PRIV_FLAGS of ifindex 5
		return []string{"legacy-rx"}, nil
	}
	return nil, errors.New("no such set")
}

// TestNameBits rewrites compact bitsets, as a notification carries them,
// written out by hand: NOMASK 1 (flag), SIZE 2, VALUE 4 and MASK 5 (u32
// arrays, host order).
func TestNameBits(t *testing.T) {
	tests := []struct {
		name  string
		op    *schema.Message
		cmd   uint8
		attrs func(e *packet.Encoder)
		json  string
	}{
		{"features, a list and a mask", ethtool.Features.Reply, unix.ETHTOOL_MSG_FEATURES_NTF, func(e *packet.Encoder) {
			// hw: bits 0 and 1 in the mask, bit 0 set.
			nested(e, unix.ETHTOOL_A_FEATURES_HW, "08000200"+"03000000"+"08000400"+"01000000"+"08000500"+"03000000")
			// active: a list of bits 0 and 2.
			nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "04000100"+"08000200"+"03000000"+"08000400"+"05000000")
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"hw":{"sg":true,"ip-csum":false},"active":["sg","gro"]}`},
		{"a bit past the names keeps its index", ethtool.Features.Reply, unix.ETHTOOL_MSG_FEATURES_NTF, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "04000100"+"08000200"+"21000000"+"0c000400"+"0100000001000000") // size 33: two words, bits 0 and 32
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"active":["sg","bit32"]}`},
		{"a device's own set", ethtool.PrivFlags.Reply, unix.ETHTOOL_MSG_PRIVFLAGS_NTF, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_PRIVFLAGS_FLAGS, "08000200"+"01000000"+"08000400"+"01000000"+"08000500"+"01000000")
		}, `{"header":{"dev_index":5,"dev_name":"v0"},"flags":{"legacy-rx":true}}`},
	}
	for _, tt := range tests {
		payload := reply(tt.cmd, 1, tt.attrs)
		out, err := ethtool.NameBits(tt.op, payload, names)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		checkJSON(t, tt.name+", rewritten", tt.op, out, tt.json)
	}

	// Verbose bitsets, and messages without bitsets, come back as they are.
	verbose := reply(unix.ETHTOOL_MSG_FEATURES_NTF, 1, func(e *packet.Encoder) {
		nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "04000100"+"08000200"+"03000000"+"10000380"+"0c000180"+"08000100"+"00000000")
	})
	if out, err := ethtool.NameBits(ethtool.Features.Reply, verbose, names); err != nil || !bytes.Equal(out, verbose) || &out[0] != &verbose[0] {
		t.Errorf("a verbose bitset was rewritten: %x, %v", out, err)
	}
	channels := reply(unix.ETHTOOL_MSG_CHANNELS_NTF, 1, func(e *packet.Encoder) { e.Uint32(unix.ETHTOOL_A_CHANNELS_RX_COUNT, 2) })
	if out, err := ethtool.NameBits(ethtool.Channels.Reply, channels, names); err != nil || &out[0] != &channels[0] {
		t.Errorf("a message without bitsets was rewritten: %v", err)
	}

	noSet := func(uint32, uint32) ([]string, error) { return nil, errors.New("no such set") }
	for _, bad := range []struct {
		name    string
		msg     *schema.Message
		names   ethtool.BitNames
		payload []byte
		want    string
	}{
		{"value shorter than its size", ethtool.Features.Reply, names, reply(unix.ETHTOOL_MSG_FEATURES_NTF, 1, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "04000100"+"08000200"+"40000000"+"08000400"+"01000000") // 64 bits in one word
		}), "features: active: bitset: value of 4 bytes for 64 bits"},
		{"no names for the set", ethtool.PrivFlags.Reply, noSet, reply(unix.ETHTOOL_MSG_PRIVFLAGS_NTF, 1, func(e *packet.Encoder) {
			nested(e, unix.ETHTOOL_A_PRIVFLAGS_FLAGS, "04000100"+"08000200"+"01000000"+"08000400"+"01000000")
		}), "names: no such set"},
		{"shorter than genlmsghdr", ethtool.Features.Reply, names, []byte{1, 2}, "shorter than its 4-byte header"},
	} {
		if _, err := ethtool.NameBits(bad.msg, bad.payload, bad.names); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want %q", bad.name, err, bad.want)
		}
	}
}

// FuzzNameBits rewrites arbitrary messages of every operation's reply:
// nothing may panic, and what it returns must decode, each field read
// without an error where the message's own field read without one.
func FuzzNameBits(f *testing.F) {
	var msgs []*schema.Message
	for _, op := range ethtool.Family.Ops {
		if op.Reply != nil {
			msgs = append(msgs, op.Reply)
		}
	}
	// A features notification, its active bits a compact list, as msgs'
	// features reply.
	f.Add(uint8(slices.Index(msgs, ethtool.Features.Reply)), reply(unix.ETHTOOL_MSG_FEATURES_NTF, 1, func(e *packet.Encoder) {
		nested(e, unix.ETHTOOL_A_FEATURES_ACTIVE, "04000100"+"08000200"+"03000000"+"08000400"+"05000000")
	}))
	long := func(uint32, uint32) ([]string, error) { return []string{"a", "", "c"}, nil }
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		m := msgs[int(which)%len(msgs)]
		out, err := ethtool.NameBits(m, b, long)
		if err != nil {
			return
		}
		in, err := schema.Decode(m, b)
		if err != nil {
			t.Fatalf("rewrote a message that does not decode: %v", err)
		}
		v, err := schema.Decode(m, out)
		if err != nil {
			t.Fatalf("the rewritten message does not decode: %v", err)
		}
		for _, name := range m.FieldNames() {
			_, _, inErr := in.Get(name)
			if _, _, err := v.Get(name); err != nil && inErr == nil {
				t.Fatalf("%s: %v, where the message's own read", name, err)
			}
		}
		_, _ = v.MarshalJSON()
	})
}
