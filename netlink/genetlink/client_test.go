package genetlink_test

import (
	"context"
	"encoding/hex"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestEncodeHeader: genlmsghdr carries the operation's command and the
// family's version whatever the fields say, and the caller's fields are
// left as they were.
func TestEncodeHeader(t *testing.T) {
	c := ethtoolClient(t)
	dev := "0c000180" + "0700020061370000" // header nest, dev_name "a7"
	tests := []struct {
		name   string
		op     string
		flags  uint16
		fields schema.Fields
		want   string
	}{
		{"get", "channels", 0, schema.Fields{"header": schema.Fields{"dev_name": "a7"}},
			"20000000" + "1500" + "0000" + "0000000000000000" + "11010000" + dev},
		{"dump without fields", "linkinfo", unix.NLM_F_DUMP, nil,
			"14000000" + "1500" + "0003" + "0000000000000000" + "02010000"},
		{"fields naming cmd and version are overridden", "rings", 0,
			schema.Fields{"cmd": "channels_get", "version": 7, "header": schema.Fields{"dev_name": "a7"}},
			"20000000" + "1500" + "0000" + "0000000000000000" + "0f010000" + dev},
		{"a bad cmd is overridden too", "rings", 0,
			schema.Fields{"cmd": "no_such_cmd", "header": schema.Fields{"dev_name": "a7"}},
			"20000000" + "1500" + "0000" + "0000000000000000" + "0f010000" + dev},
	}
	for _, tt := range tests {
		before := len(tt.fields)
		req, err := c.Encode(context.Background(), ethtool.Family, ethtool.Family.Op(tt.op), tt.flags, tt.fields)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := hex.EncodeToString(req); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if len(tt.fields) != before {
			t.Errorf("%s: Encode changed the caller's fields: %v", tt.name, tt.fields)
		}
	}
}
