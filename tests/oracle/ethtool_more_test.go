package oracle

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os/exec"
	"reflect"
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

// straceEthtool finds, in strace -xx output, the payload (genlmsghdr and
// attributes) of the ethtool family's request.
var straceEthtool = regexp.MustCompile(`nlmsg_type=ethtool, [^}]*\}, "((?:\\x[0-9a-f]{2})+)"`)

// requestFields decodes a request payload of op and returns its fields as
// JSON reads them, for a comparison that ignores the attributes' order.
func requestFields(t *testing.T, op string, payload []byte) map[string]any {
	t.Helper()
	v, err := schema.Decode(ethtool.Family.Op(op).Request, payload)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	j, err := v.MarshalJSON()
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return m
}

// TestOracleEthtoolMore sends the module EEPROM reads and the cable tests
// to a veth, as `ethtool -m`, `ethtool --cable-test` and `ethtool
// --cable-test-tdr` send them: it compares the kernel's refusal with the
// one the CLI prints, and, where strace is installed, our request with
// the CLI's, field by field. It also compares the PHYs we list with
// `ethtool --show-phys`, where the CLI has it (ethtool 6.10).
func TestOracleEthtoolMore(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	client := genlClient(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Log("strace is not installed: comparing the refusals only, not the requests")
	}
	dev := func(f schema.Fields) schema.Fields {
		f["header"] = schema.Fields{"dev_name": "v0"}
		return f
	}
	tests := []struct {
		cli []string
		op  string
		f   schema.Fields
	}{
		// ethtool -m reads the identifier byte first.
		{[]string{"-m", "v0"}, "module_eeprom", dev(schema.Fields{"length": 1})},
		{[]string{"-m", "v0", "offset", "0", "length", "16"}, "module_eeprom", dev(schema.Fields{"offset": 0, "length": 16})},
		{[]string{"-m", "v0", "offset", "200", "length", "16"}, "module_eeprom", dev(schema.Fields{"offset": 200, "length": 16})},
		// A page other than 0 is the upper half of the window.
		{[]string{"-m", "v0", "page", "3", "bank", "0", "i2c", "0x51"}, "module_eeprom",
			dev(schema.Fields{"offset": 128, "page": 3, "bank": 0, "i2c_address": 0x51})},
		{[]string{"--cable-test", "v0"}, "cable_test", dev(schema.Fields{})},
		{[]string{"--cable-test-tdr", "v0"}, "cable_test_tdr", dev(schema.Fields{})},
		// The CLI takes metres, the kernel centimetres.
		{[]string{"--cable-test-tdr", "v0", "first", "1", "last", "10", "step", "1", "pair", "1"}, "cable_test_tdr",
			dev(schema.Fields{"cfg": schema.Fields{"first": 100, "last": 1000, "step": 100, "pair": "B"}})},
	}
	refusals, requests := 0, 0
	for _, tt := range tests {
		name := "ethtool " + strings.Join(tt.cli, " ")
		args := append([]string{"ethtool"}, tt.cli...)
		if strace != "" {
			args = append([]string{strace, "-f", "-e", "trace=sendto,sendmsg", "-s", "1024", "-xx"}, args...)
		}
		out, cliErr := ns.Try(args[0], args[1:]...)
		if cliErr == nil {
			t.Errorf("%s succeeded on a veth: %s", name, out)
			continue
		}
		// strerror's, capitalized: "Operation not supported".
		if !strings.Contains(strings.ToLower(cliErr.Error()), "netlink error: "+unix.EOPNOTSUPP.Error()) {
			t.Errorf("%s: %v, want the netlink error %q", name, cliErr, unix.EOPNOTSUPP.Error())
			continue
		}
		op := ethtool.Family.Op(tt.op)
		req, err := client.Encode(ctx, ethtool.Family, op, 0, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.op, err)
		}
		var ourErr error
		if op.Change {
			_, ourErr = client.Execute(ctx, ethtool.Family, op, req)
		} else {
			_, ourErr = client.Do(ctx, ethtool.Family, op, tt.f)
		}
		if !errors.Is(ourErr, unix.EOPNOTSUPP) {
			t.Errorf("%s: we got %v; %s says %v", tt.op, ourErr, name, cliErr)
		}
		refusals++
		if strace == "" {
			continue
		}
		m := straceEthtool.FindStringSubmatch(cliErr.Error())
		if m == nil {
			t.Errorf("%s: no ethtool request in strace's output:\n%v", name, cliErr)
			continue
		}
		theirs, err := hex.DecodeString(strings.ReplaceAll(m[1], `\x`, ""))
		if err != nil {
			t.Fatal(err)
		}
		got, want := requestFields(t, tt.op, req[packet.HeaderLen:]), requestFields(t, tt.op, theirs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: our request\n%v\nthe CLI's\n%v", tt.op, got, want)
		}
		requests++
	}
	t.Logf("compared %d refusals and %d requests with the ethtool CLI's", refusals, requests)

	// ethtool --show-phys (ethtool 6.10) lists no PHY on a veth, nor do we.
	views, err := client.Dump(ctx, ethtool.Family, ethtool.PHY, schema.Fields{})
	if err != nil || len(views) != 0 {
		t.Errorf("phy dump: %d PHYs, %v; want none", len(views), err)
	}
	out, err := ns.Try("ethtool", "--show-phys", "*")
	switch {
	case err != nil && strings.Contains(err.Error(), "bad command line argument"):
		t.Logf("skipping the --show-phys comparison: this ethtool has no --show-phys (%v)", err)
	case err != nil:
		t.Errorf("ethtool --show-phys: %v", err)
	case strings.Contains(out, "PHY index"):
		t.Errorf("ethtool --show-phys lists a PHY on a veth:\n%s", out)
	}
}
