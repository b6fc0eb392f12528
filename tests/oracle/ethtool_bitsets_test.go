package oracle

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// featureLine is one line of `ethtool -k`: a feature, on or off, and
// "[fixed]", "[requested on]" or "[requested off]". A line indented by a
// tab is a member of the group above it.
var featureLine = regexp.MustCompile(`^(\t?)([a-z0-9_-]+): (on|off)(?: \[(fixed|requested on|requested off)\])?$`)

// legacyFeatures are the lines `ethtool -k` prints under their old ioctl
// names, each standing for one kernel feature.
var legacyFeatures = map[string]string{
	"rx-checksumming":              "rx-checksum",
	"generic-segmentation-offload": "tx-generic-segmentation",
	"generic-receive-offload":      "rx-gro",
	"large-receive-offload":        "rx-lro",
	"rx-vlan-offload":              "rx-vlan-hw-parse",
	"tx-vlan-offload":              "tx-vlan-hw-insert",
	"ntuple-filters":               "rx-ntuple-filter",
	"receive-hashing":              "rx-hashing",
	"udp-fragmentation-offload":    "tx-udp-fragmentation",
}

// ethtoolDo sends op for dev: the one reply (none for a set without one),
// or the error.
func ethtoolDo(ctx context.Context, c *genetlink.Client, op *genl.Operation, dev string, extra schema.Fields) (*schema.View, error) {
	f := schema.Fields{"header": schema.Fields{"dev_name": dev}}
	for k, v := range extra {
		f[k] = v
	}
	views, err := c.Do(ctx, ethtool.Family, op, f)
	if err != nil {
		return nil, err
	}
	if op.Reply == nil && len(views) == 0 {
		return nil, nil // a set, acknowledged
	}
	if len(views) != 1 {
		return nil, fmt.Errorf("%s: %d replies, want 1", op.Name, len(views))
	}
	return views[0], views[0].Err()
}

// featureState is our view of a device's features: hw as a Map, the
// others as sets of names.
type featureState struct {
	hw                       schema.Map
	wanted, active, nochange map[string]bool
}

// readFeatures reads dev's features through the ethtool family.
func readFeatures(t *testing.T, ctx context.Context, c *genetlink.Client, dev string) featureState {
	t.Helper()
	v, err := ethtoolDo(ctx, c, ethtool.Features, dev, nil)
	if err != nil {
		t.Fatalf("features: %v", err)
	}
	return featuresOf(t, v)
}

// featuresOf reads a features reply or notification.
func featuresOf(t *testing.T, v *schema.View) featureState {
	t.Helper()
	var st featureState
	hw, _, _ := v.Get("hw")
	st.hw, _ = hw.(schema.Map)
	list := func(name string) map[string]bool {
		val, ok, err := v.Get(name)
		names, isList := val.([]string)
		if !ok || err != nil || !isList {
			t.Fatalf("features.%s = %#v (%v), want a list", name, val, err)
		}
		set := map[string]bool{}
		for _, n := range names {
			set[n] = true
		}
		return set
	}
	st.wanted, st.active, st.nochange = list("wanted"), list("active"), list("nochange")
	if len(st.hw) == 0 {
		t.Fatalf("features.hw = %#v, want every feature", hw)
	}
	return st
}

// line renders a feature as `ethtool -k` does: on or off, then [fixed]
// when user space may not change it (not in hw, or in nochange), else
// [requested on|off] when what was asked for is not in effect.
func (st featureState) line(name string) string {
	state := map[bool]string{true: "on", false: "off"}
	s := state[st.active[name]]
	changeable, _ := st.hw.Get(name)
	switch {
	case changeable != true || st.nochange[name]:
		s += " [fixed]"
	case st.wanted[name] != st.active[name]:
		s += " [requested " + state[st.wanted[name]] + "]"
	}
	return s
}

// compareFeatures checks every line of `ethtool -k dev` against our
// features, and that every named feature has its line. It returns the
// number of lines compared.
func compareFeatures(t *testing.T, ns *nstest.NS, st featureState, dev string) int {
	t.Helper()
	return compareFeatureLines(t, ns.Run("ethtool", "-k", dev), st, dev)
}

// compareFeatureLines checks every line of a features listing, as ethtool
// -k and ethtool --monitor print it, against our features.
func compareFeatureLines(t *testing.T, out string, st featureState, dev string) int {
	t.Helper()
	seen := map[string]bool{}
	compared := 0
	type group struct {
		name, theirs string
		members      []string
	}
	var groups []*group
	for _, l := range strings.Split(out, "\n") {
		m := featureLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		indented, name, theirs := m[1] != "", m[2], m[3]
		if m[4] != "" {
			theirs += " [" + m[4] + "]"
		}
		if indented && len(groups) > 0 {
			groups[len(groups)-1].members = append(groups[len(groups)-1].members, name)
		}
		if _, known := st.hw.Get(name); !known && !indented {
			if k, legacy := legacyFeatures[name]; legacy {
				name = k
			} else {
				// A group of features (tx-checksumming): on when any
				// member is; its members follow, indented.
				groups = append(groups, &group{name: name, theirs: theirs})
				continue
			}
		}
		seen[name] = true
		checkField(t, "features", name, st.line(name), theirs)
		compared++
	}
	for _, g := range groups {
		if len(g.members) == 0 {
			t.Errorf("ethtool -k %s: %q is neither a feature nor a group", dev, g.name)
			continue
		}
		on := slices.ContainsFunc(g.members, func(n string) bool { return st.active[n] })
		checkField(t, "features", g.name+" (any of "+strings.Join(g.members, ", ")+")", map[bool]string{true: "on", false: "off"}[on], g.theirs)
		compared++
	}
	for _, e := range st.hw {
		if !strings.HasPrefix(e.Name, "bit") && !seen[e.Name] {
			t.Errorf("features: %s has no line in ethtool -k %s", e.Name, dev)
		}
	}
	return compared
}

// TestOracleEthtoolBitsets compares the bitset operations on a veth with
// what the ethtool CLI prints: every feature of ethtool -k, before and
// after a change made through nlsh; speed, duplex, autonegotiation and
// link modes of ethtool DEV; ethtool -T; and the errors of
// --show-priv-flags and --show-eee.
func TestOracleEthtoolBitsets(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	c := genlClient(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Features, then GRO on and TX checksumming off through nlsh (the
	// kernel drops the segmentation offloads that depend on it: wanted
	// but not active), then both back.
	n := compareFeatures(t, ns, readFeatures(t, ctx, c, "v0"), "v0")
	for _, wanted := range []schema.Fields{
		{"rx-gro": true, "tx-checksum-ip-generic": false},
		{"rx-gro": false, "tx-checksum-ip-generic": true},
	} {
		if _, err := ethtoolDo(ctx, c, ethtool.SetFeatures, "v0", schema.Fields{"wanted": wanted}); err != nil {
			t.Fatalf("set_features %v: %v", wanted, err)
		}
		st := readFeatures(t, ctx, c, "v0")
		if st.active["rx-gro"] != wanted["rx-gro"] {
			t.Errorf("after set_features %v, rx-gro active is %v", wanted, st.active["rx-gro"])
		}
		n += compareFeatures(t, ns, st, "v0")
	}
	t.Logf("compared %d ethtool -k lines", n)
	if theirs := ns.Run("ethtool", "-k", "v0"); !strings.Contains(theirs, "\ntcp-segmentation-offload: on\n") {
		t.Errorf("ethtool -k after restoring:\n%s", theirs)
	}

	// ethtool v0: speed, duplex, autonegotiation and link modes.
	lm, err := ethtoolDo(ctx, c, ethtool.LinkModes, "v0", nil)
	if err != nil {
		t.Fatalf("linkmodes: %v", err)
	}
	theirs := ethtoolText(t, ns, "v0")
	speed, _, _ := lm.Get("speed")
	speedText := map[any]string{"unknown": "Unknown!"}[speed]
	if speedText == "" {
		speedText = fmt.Sprintf("%vMb/s", speed)
	}
	checkField(t, "linkmodes", "speed", speedText, theirs["Speed"])
	duplex, _, _ := lm.Get("duplex")
	checkField(t, "linkmodes", "duplex", map[any]string{"full": "Full", "half": "Half", "unknown": "Unknown! (255)"}[duplex], theirs["Duplex"])
	autoneg, _, _ := lm.Get("autoneg")
	checkField(t, "linkmodes", "autoneg", autoneg, theirs["Auto-negotiation"])
	ours, _, _ := lm.Get("ours")
	modes, _ := ours.(schema.Map)
	var supported, advertised []string
	for _, e := range modes {
		if e.Name == "Autoneg" || e.Name == "Pause" || e.Name == "Asym_Pause" || strings.HasPrefix(e.Name, "FEC_") ||
			e.Name == "TP" || e.Name == "AUI" || e.Name == "MII" || e.Name == "FIBRE" || e.Name == "BNC" || e.Name == "Backplane" {
			continue // ethtool prints these on lines of their own
		}
		supported = append(supported, e.Name)
		if e.Value == true {
			advertised = append(advertised, e.Name)
		}
	}
	modeText := func(names []string) string {
		if len(names) == 0 {
			return "Not reported"
		}
		return strings.Join(names, " ")
	}
	checkField(t, "linkmodes", "ours (supported)", modeText(supported), theirs["Supported link modes"])
	checkField(t, "linkmodes", "ours (advertised)", modeText(advertised), theirs["Advertised link modes"])
	an, _ := modes.Get("Autoneg")
	checkField(t, "linkmodes", "ours[Autoneg] present", map[bool]string{true: "Yes", false: "No"}[an != nil], theirs["Supports auto-negotiation"])
	checkField(t, "linkmodes", "ours[Autoneg]", map[bool]string{true: "Yes", false: "No"}[an == true], theirs["Advertised auto-negotiation"])

	// What veth lacks, ethtool v0 leaves out: Wake-on-LAN and the
	// message level.
	for op, line := range map[*genl.Operation]string{ethtool.WoL: "Supports Wake-on", ethtool.Debug: "Current message level"} {
		_, err := ethtoolDo(ctx, c, op, "v0", nil)
		_, printed := theirs[line]
		checkField(t, op.Name, "supported", err == nil, printed)
	}

	// ethtool -T: capabilities, PTP clock, hardware modes.
	ts, err := ethtoolDo(ctx, c, ethtool.TSInfo, "v0", nil)
	if err != nil {
		t.Fatalf("tsinfo: %v", err)
	}
	out := ns.Run("ethtool", "-T", "v0")
	var caps []string
	inCaps := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(l, "Capabilities:"):
			inCaps = true
		case inCaps && strings.HasPrefix(l, "\t"):
			caps = append(caps, strings.Fields(l)[0])
		default:
			inCaps = false
		}
	}
	stamping, _, _ := ts.Get("timestamping")
	checkField(t, "tsinfo", "timestamping", stamping, caps)
	theirs = ethtoolText(t, ns, "-T", "v0")
	phc := "none"
	if idx, ok, _ := ts.Get("phc_index"); ok {
		phc = fmt.Sprint(idx)
	}
	checkField(t, "tsinfo", "phc_index", phc, theirs["PTP Hardware Clock"])
	for name, line := range map[string]string{"tx_types": "Hardware Transmit Timestamp Modes", "rx_filters": "Hardware Receive Filter Modes"} {
		val, _, _ := ts.Get(name)
		text := "none"
		if l, _ := val.([]string); len(l) > 0 {
			text = strings.Join(l, " ")
		}
		checkField(t, "tsinfo", name, text, theirs[line])
	}

	// A tap device has a message level: ethtool t0 prints it as a mask
	// and the names of its classes, before and after nlsh changes it.
	ns.Run("ip", "tuntap", "add", "mode", "tap", "name", "t0")
	sets, err := c.Do(ctx, ethtool.Family, ethtool.StrSet, schema.Fields{
		"stringsets": schema.Fields{"stringset": []any{schema.Fields{"id": "msg_classes"}}}})
	if err != nil || len(sets) != 1 {
		t.Fatalf("strset msg_classes: %v", err)
	}
	ss, _, _ := sets[0].Get("stringsets")
	set, _, _ := ss.(*schema.View).Get("stringset")
	classes, _, _ := set.([]any)[0].(*schema.View).Get("strings")
	for _, step := range []struct {
		msgmask any
		want    string
	}{
		{nil, ""},
		{schema.Fields{"drv": true, "link": true}, "drv link"}, // changes the classes named
		{schema.Fields{"drv": false, "probe": true}, "probe link"},
		{[]any{"ifup"}, "ifup"}, // a list: these and no other
	} {
		msgmask := step.msgmask
		if msgmask != nil {
			if _, err := ethtoolDo(ctx, c, ethtool.SetDebug, "t0", schema.Fields{"msgmask": msgmask}); err != nil {
				t.Fatalf("set_debug %v: %v", msgmask, err)
			}
		}
		dbg, err := ethtoolDo(ctx, c, ethtool.Debug, "t0", nil)
		if err != nil {
			t.Fatalf("debug: %v", err)
		}
		val, _, _ := dbg.Get("msgmask")
		names, _ := val.([]string)
		if got := strings.Join(names, " "); got != step.want {
			t.Errorf("after set_debug %v, msgmask is %q, want %q", msgmask, got, step.want)
		}
		var mask uint32
		for _, n := range names {
			if i := slices.Index(classes.([]any), any(n)); i >= 0 {
				mask |= 1 << i
			}
		}
		out := ns.Run("ethtool", "t0")
		level := regexp.MustCompile(`Current message level: (\S+ \(\d+\))\n[ \t]*(.*?)[ \t]*\n`).FindStringSubmatch(out)
		if level == nil {
			t.Fatalf("ethtool t0 has no message level:\n%s", out)
		}
		checkField(t, "debug", "msgmask (mask)", fmt.Sprintf("0x%08x (%d)", mask, mask), level[1])
		checkField(t, "debug", "msgmask", strings.Join(names, " "), level[2])
	}

	// --show-priv-flags and --show-eee: veth has neither; both fail with
	// EOPNOTSUPP, as ours do.
	for op, arg := range map[*genl.Operation]string{ethtool.PrivFlags: "--show-priv-flags", ethtool.EEE: "--show-eee"} {
		_, cliErr := ns.Try("ethtool", arg, "v0")
		_, err := ethtoolDo(ctx, c, op, "v0", nil)
		var pe *packet.Error
		ourErrno := "none"
		if errors.As(err, &pe) {
			ourErrno = pe.Errno.Error()
		}
		theirErrno := "none"
		if cliErr != nil {
			theirErrno = cliErr.Error()
			if strings.Contains(theirErrno, "netlink error: Operation not supported") {
				theirErrno = unix.EOPNOTSUPP.Error()
			}
		}
		checkField(t, op.Name, "error", ourErrno, theirErrno)
	}
}
