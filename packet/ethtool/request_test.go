package ethtool_test

import (
	"encoding/hex"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// requestHex encodes op's request from f, with the operation's command,
// the family's version and family id 0x15, as the hex the byte-level tests
// compare with their hand-written bytes.
func requestHex(op *genl.Operation, f schema.Fields) (string, error) {
	fields := schema.Fields{"cmd": op.Cmd, "version": ethtool.Family.Version}
	for k, v := range f {
		fields[k] = v
	}
	var e packet.Encoder
	if err := op.Request.Encode(&e, 0x15, unix.NLM_F_REQUEST, fields); err != nil {
		return "", err
	}
	return hex.EncodeToString(e.Bytes()), nil
}

// checkRequest encodes op's request from f and compares it with want, the
// hex written out by hand.
func checkRequest(t *testing.T, op *genl.Operation, f schema.Fields, want string) {
	t.Helper()
	got, err := requestHex(op, f)
	if err != nil {
		t.Errorf("%s: %v", op.Name, err)
		return
	}
	if got != want {
		t.Errorf("%s:\n got %s\nwant %s", op.Name, got, want)
	}
}
