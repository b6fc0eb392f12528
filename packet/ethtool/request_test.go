package ethtool_test

import (
	"encoding/hex"

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
