// Package testgenl encodes generic netlink requests for the byte-level
// tests of the packet/<family> schemas: an operation's request, with the
// operation's command and the family's version in genlmsghdr, under a
// family id the test makes up.
//
//	got, err := testgenl.Encode(netdev.Family, netdev.Dev, 0x14, unix.NLM_F_REQUEST, schema.Fields{"ifindex": 3})
//	testgenl.Check(t, netdev.Family, netdev.Dev, 0x14, unix.NLM_F_REQUEST, fields, "1c000000 1400 0100 ...")
package testgenl

import (
	"encoding/hex"
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// Encode returns the whole message (nlmsghdr, genlmsghdr, attributes) of
// op's request with fields f, as family id with the netlink flags given.
// The command is op.Cmd and the version fam.Version; f cannot override
// them.
func Encode(fam *genl.FamilySpec, op *genl.Operation, id, flags uint16, f schema.Fields) ([]byte, error) {
	fields := make(schema.Fields, len(f)+2)
	for k, v := range f {
		fields[k] = v
	}
	fields["cmd"] = op.Cmd
	fields["version"] = fam.Version
	var e packet.Encoder
	if err := op.Request.Encode(&e, id, flags, fields); err != nil {
		return nil, err
	}
	return e.Bytes(), nil
}

// Check encodes op's request as Encode does and fails t unless the bytes
// are want, hex laid out as testhex reads it. It returns the bytes, or nil
// when the request does not encode.
func Check(t testing.TB, fam *genl.FamilySpec, op *genl.Operation, id, flags uint16, f schema.Fields, want string) []byte {
	t.Helper()
	b, err := Encode(fam, op, id, flags, f)
	if err != nil {
		t.Errorf("%s %v: %v", op.Name, f, err)
		return nil
	}
	if got, w := hex.EncodeToString(b), hex.EncodeToString(testhex.Decode(t, want)); got != w {
		t.Errorf("%s %v:\n got %s\nwant %s", op.Name, f, got, w)
	}
	return b
}
