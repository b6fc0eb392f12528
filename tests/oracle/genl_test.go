package oracle

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// genlFamily is what `genl ctrl list` prints of one family, and what we
// decode of it, in the same shape.
type genlFamily struct {
	id, version, hdrsize, maxattr uint64
	ops                           []string // "0x3 caps 0xe", in order; "0x3 caps ?" where genl prints no capabilities
	groups                        []string // "0x10 notify", in order
}

// TestOracleGenlCtrlList dumps nlctrl's families and compares every one,
// field by field, with what `genl ctrl list` prints.
func TestOracleGenlCtrlList(t *testing.T) {
	ns := nstest.New(t)
	theirs := parseGenlCtrlList(t, ns.Run("genl", "ctrl", "list"))
	ours := dumpGenlFamilies(t, ns)
	if len(theirs) == 0 {
		t.Fatal("genl ctrl list printed no family")
	}
	for name, th := range theirs {
		o, ok := ours[name]
		if !ok {
			t.Errorf("family %s: genl lists it, nlsh does not", name)
			continue
		}
		if o.id != th.id || o.version != th.version || o.hdrsize != th.hdrsize || o.maxattr != th.maxattr {
			t.Errorf("family %s: nlsh id %#x version %d hdrsize %d maxattr %d; genl id %#x version %d hdrsize %d maxattr %d",
				name, o.id, o.version, o.hdrsize, o.maxattr, th.id, th.version, th.hdrsize, th.maxattr)
		}
		if !slices.EqualFunc(o.ops, th.ops, sameOp) {
			t.Errorf("family %s ops:\n nlsh %v\n genl %v", name, o.ops, th.ops)
		}
		if !slices.Equal(o.groups, th.groups) {
			t.Errorf("family %s groups:\n nlsh %v\n genl %v", name, o.groups, th.groups)
		}
	}
	for name := range ours {
		if _, ok := theirs[name]; !ok {
			t.Errorf("family %s: nlsh lists it, genl does not", name)
		}
	}
	// nlctrl's getfamily has do, dump and a policy; genl prints that.
	if ctrl := theirs["nlctrl"]; len(ctrl.ops) == 0 || ctrl.ops[0] != "0x3 caps 0xe" {
		t.Errorf("genl prints nlctrl's ops as %v; the oracle needs their capabilities", ctrl.ops)
	}
}

// TestGenlPolicy reads nlctrl's own policy with CTRL_CMD_GETPOLICY and
// checks what the kernel's genetlink.c declares: CTRL_ATTR_FAMILY_ID is a
// u16, CTRL_ATTR_FAMILY_NAME a NUL-terminated string of at most
// GENL_NAMSIZ-1 bytes, and getfamily's do and dump share policy 0.
func TestGenlPolicy(t *testing.T) {
	ns := nstest.New(t)
	c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e packet.Encoder
	if err := genl.Family.Encode(&e, unix.GENL_ID_CTRL, unix.NLM_F_DUMP,
		schema.Fields{"cmd": "getpolicy", "version": 2, "family_name": "nlctrl", "op": unix.CTRL_CMD_GETFAMILY}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	entries := map[string]*schema.View{}
	var opPolicy []any
	for m, err := range c.Dump(ctx, e.Bytes()) {
		if err != nil {
			t.Fatalf("getpolicy: %v", err)
		}
		v, err := schema.Decode(genl.Family, m.Data)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Err(); err != nil {
			t.Fatal(err)
		}
		if p, ok, err := v.Get("policy"); err != nil {
			t.Fatal(err)
		} else if ok {
			for _, x := range p.([]any) {
				en := x.(*schema.View)
				pol, _, _ := en.Get("policy")
				attr, _, _ := en.Get("attr")
				entries[fmt.Sprintf("%d/%d", pol, attr)] = en
			}
		}
		if p, ok, _ := v.Get("op_policy"); ok {
			opPolicy = append(opPolicy, p.([]any)...)
		}
	}
	want := map[string]map[string]any{
		"0/1": {"type": "u16", "min_value_u": uint64(0), "max_value_u": uint64(0xffff)},
		"0/2": {"type": "nul_string", "max_length": uint64(unix.GENL_NAMSIZ - 1)},
	}
	for key, w := range want {
		got := entries[key]
		if got == nil {
			t.Errorf("policy %s missing; got %v", key, entries)
			continue
		}
		for f, wv := range w {
			if gv, _, err := got.Get(f); err != nil || !schema.Equal(gv, wv) {
				t.Errorf("policy %s %s = %v (%v), want %v", key, f, gv, err, wv)
			}
		}
	}
	wantOp := `[{"do":0,"dump":0,"op":3}]` // getfamily's do and dump both check policy 0
	if got := string(schema.AppendJSON(nil, opPolicy)); got != wantOp {
		t.Errorf("op_policy = %s, want %s", got, wantOp)
	}
}

// dumpGenlFamilies lists every family with CTRL_CMD_GETFAMILY.
func dumpGenlFamilies(t *testing.T, ns *nstest.NS) map[string]genlFamily {
	t.Helper()
	c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e packet.Encoder
	if err := genl.Family.Encode(&e, unix.GENL_ID_CTRL, unix.NLM_F_DUMP, schema.Fields{"cmd": "getfamily", "version": 2}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fams := map[string]genlFamily{}
	for m, err := range c.Dump(ctx, e.Bytes()) {
		if err != nil {
			t.Fatalf("getfamily dump: %v", err)
		}
		v, err := schema.Decode(genl.Family, m.Data)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Err(); err != nil {
			t.Fatal(err)
		}
		get := func(name string) any {
			x, _, err := v.Get(name)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return x
		}
		f := genlFamily{
			id: uint64OrZero(get("family_id")), version: uint64OrZero(get("family_version")),
			hdrsize: uint64OrZero(get("hdrsize")), maxattr: uint64OrZero(get("maxattr")),
		}
		ops, _ := get("ops").([]any)
		for _, op := range ops {
			ov := op.(*schema.View)
			id, _, _ := ov.Get("id")
			// genl prints the raw flag word; read it as the kernel sent it.
			raw, _ := ov.Raw(unix.CTRL_ATTR_OP_FLAGS)
			flags, _ := raw.Uint32()
			f.ops = append(f.ops, fmt.Sprintf("%#x caps %#x", id, flags))
		}
		groups, _ := get("mcast_groups").([]any)
		for _, g := range groups {
			gv := g.(*schema.View)
			id, _, _ := gv.Get("id")
			name, _, _ := gv.Get("name")
			f.groups = append(f.groups, fmt.Sprintf("%#x %s", id, name))
		}
		fams[get("family_name").(string)] = f
	}
	return fams
}

// sameOp compares an op of ours with genl's. genl prints an op's
// capability word for a few families only (nlctrl, thermal, the NLBL_*
// ones here); for the others the op's id must match.
func sameOp(ours, theirs string) bool {
	if id, ok := strings.CutSuffix(theirs, "caps ?"); ok {
		return strings.HasPrefix(ours, id+"caps ")
	}
	return ours == theirs
}

func uint64OrZero(x any) uint64 {
	u, _ := x.(uint64)
	return u
}

var (
	genlNameLine  = regexp.MustCompile(`^Name: (\S+)`)
	genlIDLine    = regexp.MustCompile(`ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)`)
	genlOpLine    = regexp.MustCompile(`^#\d+:\s+ID-0x([0-9a-f]+)\s*$`)
	genlCapsLine  = regexp.MustCompile(`^Capabilities \(0x([0-9a-f]+)\)`)
	genlGroupLine = regexp.MustCompile(`^#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)`)
)

// parseGenlCtrlList reads the text of `genl ctrl list`, which has no JSON
// form.
func parseGenlCtrlList(t *testing.T, out string) map[string]genlFamily {
	t.Helper()
	fams := map[string]genlFamily{}
	var name string
	var f genlFamily
	hex := func(s string) uint64 { u, _ := strconv.ParseUint(s, 16, 64); return u }
	dec := func(s string) uint64 { u, _ := strconv.ParseUint(s, 10, 64); return u }
	flush := func() {
		if name != "" {
			fams[name] = f
		}
	}
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if m := genlNameLine.FindStringSubmatch(line); m != nil {
			flush()
			name, f = m[1], genlFamily{}
		}
		if m := genlIDLine.FindStringSubmatch(line); m != nil {
			f.id, f.version, f.hdrsize, f.maxattr = hex(m[1]), hex(m[2]), dec(m[3]), dec(m[4])
		}
		if m := genlOpLine.FindStringSubmatch(line); m != nil {
			f.ops = append(f.ops, fmt.Sprintf("%#x caps ?", hex(m[1])))
		}
		if m := genlCapsLine.FindStringSubmatch(line); m != nil && len(f.ops) > 0 {
			last := &f.ops[len(f.ops)-1]
			*last = strings.TrimSuffix(*last, "?") + fmt.Sprintf("%#x", hex(m[1]))
		}
		if m := genlGroupLine.FindStringSubmatch(line); m != nil {
			f.groups = append(f.groups, fmt.Sprintf("%#x %s", hex(m[1]), m[2]))
		}
	}
	flush()
	return fams
}
