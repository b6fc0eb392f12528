package genetlink_test

import (
	"context"
	"encoding/hex"
	"testing"

	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestEncodeDefaults: an operation's Defaults are sent when the request
// leaves them out, and give way to what it gives.
func TestEncodeDefaults(t *testing.T) {
	hdr := genl.NewHeader(schema.NewEnum("cmd", map[uint64]string{3: "getfamily"}))
	nest := schema.NewAttrSet("inner", schema.Attr{Type: 1, Name: "x", Kind: schema.U32})
	op := &genl.Operation{
		Name: "getfamily", Cmd: 3, Do: true,
		Request: &schema.Message{Name: "getfamily", Header: hdr, Attrs: schema.NewAttrSet("t",
			schema.Attr{Type: 2, Name: "family_name", Kind: schema.String},
			schema.Attr{Type: 9, Name: "inner", Kind: schema.Nest, Nest: nest},
		)},
		Defaults: schema.Fields{"inner": schema.Fields{}},
	}
	fam := &genl.FamilySpec{Name: "nlctrl", Version: 2, Ops: []*genl.Operation{op}}
	c := genetlink.NewClient(dial(t), nil)
	tests := []struct {
		f    schema.Fields
		want string // the attributes after nlmsghdr and genlmsghdr
	}{
		{nil, "04000980"},
		{schema.Fields{"family_name": "a"}, "06000200" + "61000000" + "04000980"},
		{schema.Fields{"inner": schema.Fields{"x": 7}}, "0c000980" + "08000100" + "07000000"},
	}
	for _, tt := range tests {
		req, err := c.Encode(context.Background(), fam, op, 0, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(req[20:]); got != tt.want {
			t.Errorf("Encode(%v) attributes = %s, want %s", tt.f, got, tt.want)
		}
	}
}
