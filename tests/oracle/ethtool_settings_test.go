package oracle

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink/ethtoolioctl"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestOracleEthtoolSettings compares a veth's driver information (ethtool
// -i) field by field with the CLI's, and checks that the settings veth
// does not have (ethtool -g, -c, -a, --show-tunnels, --show-fec) fail for both alike,
// with "Operation not supported"; --show-module shows no parameters for
// either.
func TestOracleEthtoolSettings(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")

	raw, err := ethtoolioctl.DrvInfo(ns.Name, "v0")
	if err != nil {
		t.Fatal(err)
	}
	info, err := schema.Decode(ethtool.DrvInfo, raw)
	if err != nil {
		t.Fatal(err)
	}
	theirs := ethtoolText(t, ns, "-i", "v0")
	if theirs["driver"] != "veth" {
		t.Fatalf("ethtool -i v0 prints driver %q", theirs["driver"])
	}
	yesNo := map[any]string{true: "yes", false: "no"}
	compared := 0
	for ours, their := range map[string]string{
		"driver": "driver", "version": "version", "firmware_version": "firmware-version",
		"expansion_rom_version": "expansion-rom-version", "bus_info": "bus-info",
		"supports_statistics": "supports-statistics", "supports_test": "supports-test",
		"supports_eeprom_access": "supports-eeprom-access", "supports_register_dump": "supports-register-dump",
		"supports_priv_flags": "supports-priv-flags",
	} {
		v, ok, err := info.Get(ours)
		if !ok || err != nil {
			t.Errorf("drvinfo: no %s (%v)", ours, err)
			continue
		}
		if b, isBool := v.(bool); isBool {
			v = yesNo[b]
		}
		// ethtool prints "firmware-version: " with nothing after it for an
		// empty string, which ethtoolText leaves out.
		checkField(t, "drvinfo", ours, v, theirs[their])
		compared++
	}
	if compared != 10 {
		t.Errorf("compared %d drvinfo fields, want 10", compared)
	}

	client := genlClient(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dev := schema.Fields{"header": schema.Fields{"dev_name": "v0"}}
	for _, tt := range []struct {
		op   *genl.Operation
		args []string
	}{
		{ethtool.Rings, []string{"-g", "v0"}},
		{ethtool.Coalesce, []string{"-c", "v0"}},
		{ethtool.Pause, []string{"-a", "v0"}},
		{ethtool.TunnelInfo, []string{"--show-tunnels", "v0"}},
		{ethtool.FEC, []string{"--show-fec", "v0"}},
	} {
		_, ours := client.Do(ctx, ethtool.Family, tt.op, dev)
		var pe *packet.Error
		if !errors.As(ours, &pe) || pe.Errno != unix.EOPNOTSUPP || pe.Op != "ethtool "+tt.op.Name {
			t.Errorf("%s: %v, want EOPNOTSUPP", tt.op.Name, ours)
		}
		out, theirs := ns.Try("ethtool", tt.args...)
		if theirs == nil || !strings.Contains(theirs.Error(), "Operation not supported") {
			t.Errorf("ethtool %s: %q, %v; want Operation not supported", strings.Join(tt.args, " "), out, theirs)
		}
	}

	views, err := client.Do(ctx, ethtool.Family, ethtool.Module, dev)
	if err != nil || len(views) != 1 {
		t.Fatalf("module: %d replies, %v", len(views), err)
	}
	out := ns.Run("ethtool", "--show-module", "v0")
	for ours, their := range map[string]string{"power_mode_policy": "Module power mode policy", "power_mode": "Module power mode"} {
		if v, ok, _ := views[0].Get(ours); ok || strings.Contains(out, their) {
			t.Errorf("module: we report %s %v (%v), ethtool --show-module prints %q; want neither", ours, v, ok, out)
		}
	}
}
