package ethtool_test

import (
	"encoding/hex"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/testgenl"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// requestID is the made-up family id of the byte-level tests' requests.
const requestID = 0x15

// requestHex encodes op's request from f, as testgenl does for every
// family, as the hex the byte-level tests compare with their hand-written
// bytes.
func requestHex(op *genl.Operation, f schema.Fields) (string, error) {
	b, err := testgenl.Encode(ethtool.Family, op, requestID, unix.NLM_F_REQUEST, f)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// checkRequest encodes op's request from f and compares it with want, the
// hex written out by hand.
func checkRequest(t *testing.T, op *genl.Operation, f schema.Fields, want string) {
	t.Helper()
	testgenl.Check(t, ethtool.Family, op, requestID, unix.NLM_F_REQUEST, f, want)
}
