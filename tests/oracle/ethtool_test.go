package oracle

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// ethtoolField reads the "Name:  value" lines the ethtool CLI prints.
var ethtoolField = regexp.MustCompile(`(?m)^\s*([A-Za-z][A-Za-z -]*):\s+(.+?)\s*$`)

// ethtoolText runs the ethtool CLI in ns and returns its fields; a field
// repeated (ethtool -l prints maximums, then current settings) gets the
// section's prefix: "max " before "Current hardware settings", "" after.
func ethtoolText(t *testing.T, ns *nstest.NS, args ...string) map[string]string {
	t.Helper()
	out := ns.Run("ethtool", args...)
	fields := map[string]string{}
	prefix := ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Pre-set maximums"):
			prefix = "max "
			continue
		case strings.HasPrefix(line, "Current hardware settings"):
			prefix = ""
			continue
		}
		if m := ethtoolField.FindStringSubmatch(line); m != nil {
			fields[prefix+m[1]] = m[2]
		}
	}
	return fields
}

// TestOracleEthtool reads a veth's channels, link information and link
// state through the ethtool family and compares them, field by field,
// with what the ethtool CLI prints.
func TestOracleEthtool(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "numtxqueues", "4", "numrxqueues", "3", "type", "veth",
		"peer", "v1", "numtxqueues", "4", "numrxqueues", "3")
	ns.Run("ip", "link", "set", "v0", "up")
	ns.Run("ethtool", "-L", "v0", "rx", "2", "tx", "3")
	client := genlClient(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	one := func(op string) *schema.View {
		t.Helper()
		v, err := ethtoolDo(ctx, client, ethtool.Family.Op(op), "v0", nil)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		return v
	}
	// ethtool prints n/a for a count or maximum of 0.
	count := func(v *schema.View, name string) string {
		x, ok, _ := v.Get(name)
		if u, _ := x.(uint64); !ok || u == 0 {
			return "n/a"
		}
		return fmt.Sprint(x)
	}

	ch := one("channels")
	theirs := ethtoolText(t, ns, "-l", "v0")
	for ours, their := range map[string]string{
		"rx_max": "max RX", "tx_max": "max TX", "other_max": "max Other", "combined_max": "max Combined",
		"rx_count": "RX", "tx_count": "TX", "other_count": "Other", "combined_count": "Combined",
	} {
		checkField(t, "channels", ours, count(ch, ours), theirs[their])
	}
	if theirs["RX"] != "2" || theirs["TX"] != "3" {
		t.Errorf("ethtool -l shows RX %s TX %s after ethtool -L rx 2 tx 3", theirs["RX"], theirs["TX"])
	}

	info := one("linkinfo")
	theirs = ethtoolText(t, ns, "v0")
	port, _, _ := info.Get("port")
	checkField(t, "linkinfo", "port", map[any]string{"tp": "Twisted Pair", "fibre": "FIBRE", "da": "Direct Attach Copper",
		"none": "None", "other": "Other", "mii": "MII", "aui": "AUI", "bnc": "BNC"}[port], theirs["Port"])
	phy, _, _ := info.Get("phyaddr")
	checkField(t, "linkinfo", "phyaddr", fmt.Sprint(phy), theirs["PHYAD"])
	xcvr, _, _ := info.Get("transceiver")
	checkField(t, "linkinfo", "transceiver", xcvr, theirs["Transceiver"])
	mdix, _, _ := info.Get("tp_mdix")
	checkField(t, "linkinfo", "tp_mdix", map[any]string{"unknown": "Unknown", "on": "on", "off": "off"}[mdix],
		strings.Fields(theirs["MDI-X"] + " ")[0])

	state := one("linkstate")
	link, _, _ := state.Get("link")
	checkField(t, "linkstate", "link", map[any]string{uint64(0): "no", uint64(1): "yes"}[link], theirs["Link detected"])

	// A dump answers for every device that has channels: both ends of
	// the veth, not lo.
	all, err := client.Dump(ctx, ethtool.Family, ethtool.Channels, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range all {
		h, _, _ := v.Get("header")
		name, _, _ := h.(*schema.View).Get("dev_name")
		names = append(names, fmt.Sprint(name))
	}
	if strings.Join(names, " ") != "v0 v1" && strings.Join(names, " ") != "v1 v0" {
		t.Errorf("channels dump answers for %v, want v0 and v1", names)
	}

	// A device that does not exist: ENODEV, blaming the header's name.
	_, err = client.Do(ctx, ethtool.Family, ethtool.Channels, schema.Fields{"header": schema.Fields{"dev_name": "nosuch"}})
	var pe *packet.Error
	if !errors.As(err, &pe) || pe.Errno != unix.ENODEV || pe.Op != "ethtool channels" || pe.AttrName != "header.dev_name" {
		t.Errorf("channels of a missing device: %v (op %q, attr %q), want ENODEV blaming header.dev_name", err, opOf(pe), attrOf(pe))
	}
}

func opOf(pe *packet.Error) string {
	if pe == nil {
		return ""
	}
	return pe.Op
}

func attrOf(pe *packet.Error) string {
	if pe == nil {
		return ""
	}
	return pe.AttrName
}
