package route_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestAddrLabelFixture decodes the kernel's label table: address and
// prefixlen as ip prints them.
func TestAddrLabelFixture(t *testing.T) {
	found := map[string]string{}
	for _, v := range decodeFixture(t, route.AddrLabelMessage, unix.RTM_NEWADDRLABEL, "addrlabel_dump") {
		found[jsonOf(t, v, "address")+"/"+jsonOf(t, v, "prefixlen")] = jsonOf(t, v, "label") + " " + jsonOf(t, v, "ifindex")
		roundTripView(t, route.AddrLabelMessage, v)
	}
	for k, want := range map[string]string{`"::1"/128`: "0 0", `"::ffff:0.0.0.0"/96`: "4 0", `"2001:db8:100::"/64`: "200 3", `"::"/0`: "1 0"} {
		if found[k] != want {
			t.Errorf("label %s: got %q, want %q", k, found[k], want)
		}
	}
}

func TestAddrLabelCodec(t *testing.T) {
	v, b := encodeFields(t, route.AddrLabelMessage, schema.Fields{"family": "inet6", "address": "2001:db8::", "prefixlen": 32, "ifindex": 2, "label": 7})
	if b[0] != unix.AF_INET6 || b[2] != 32 || b[4] != 2 {
		t.Errorf("header % x", b[:12])
	}
	if jsonOf(t, v, "address") != `"2001:db8::"` || jsonOf(t, v, "label") != "7" {
		t.Errorf("decoded %s", v.AppendJSON(nil))
	}
	if err := route.AddrLabelMessage.Encode(new(packet.Encoder), unix.RTM_NEWADDRLABEL, 0, schema.Fields{"address": "2001:db8::/32"}); err == nil {
		t.Error("a prefix as address encoded; want address and prefixlen apart")
	}
}
