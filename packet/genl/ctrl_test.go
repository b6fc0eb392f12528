package genl_test

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// capture reads testdata/ctrl.hex: requests (after "# req") and replies,
// one hex message per line.
func capture(t testing.TB) (reqs, replies [][]byte) {
	t.Helper()
	f, err := os.Open("testdata/ctrl.hex")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		line := s.Text()
		req, isReq := strings.CutPrefix(line, "# req ")
		if strings.HasPrefix(line, "#") && !isReq {
			continue
		}
		b, err := hex.DecodeString(strings.TrimSpace(req))
		if err != nil {
			t.Fatal(err)
		}
		if isReq {
			reqs = append(reqs, b)
		} else {
			replies = append(replies, b)
		}
	}
	return reqs, replies
}

// TestCapturedCtrl decodes the kernel's answers about nlctrl itself and
// checks them against what genetlink.c declares and `genl ctrl get name
// nlctrl` printed on the same kernel: id 0x10, version 2, getfamily
// (0x3, do+dump+policy) and getpolicy (0xa, dump+policy), the "notify"
// group 0x10; and getfamily's policy: family_id u16 0..65535, family_name
// a NUL string of at most 15 bytes.
func TestCapturedCtrl(t *testing.T) {
	_, replies := capture(t)
	if len(replies) != 4 {
		t.Fatalf("%d replies in the capture, want 4", len(replies))
	}
	want := []string{
		`{"cmd":"newfamily","version":2,"family_id":16,"family_name":"nlctrl","family_version":2,"hdrsize":0,"maxattr":0,` +
			`"ops":[{"id":3,"flags":["do","dump","has_policy"]},{"id":10,"flags":["dump","has_policy"]}],` +
			`"mcast_groups":[{"name":"notify","id":16}]}`,
		`{"cmd":"getpolicy","version":2,"family_id":16,"op_policy":[{"do":0,"dump":0,"op":3}]}`,
		`{"cmd":"getpolicy","version":2,"family_id":16,"policy":[{"type":"u16","min_value_u":0,"max_value_u":65535,"policy":0,"attr":1}]}`,
		`{"cmd":"getpolicy","version":2,"family_id":16,"policy":[{"type":"nul_string","max_length":15,"policy":0,"attr":2}]}`,
	}
	for i, b := range replies {
		v, err := schema.Decode(genl.Family, b)
		if err != nil {
			t.Fatal(err)
		}
		j, err := v.MarshalJSON()
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		if err := v.Err(); err != nil {
			t.Errorf("reply %d: %v", i, err)
		}
		if string(j) != want[i] {
			t.Errorf("reply %d:\n got %s\nwant %s", i, j, want[i])
		}
	}
}

// TestEncodeRequests encodes the captured requests from fields and
// compares them byte for byte with what was sent.
func TestEncodeRequests(t *testing.T) {
	reqs, _ := capture(t)
	fields := []struct {
		flags uint16
		f     schema.Fields
	}{
		{0, schema.Fields{"cmd": "getfamily", "version": 2, "family_name": "nlctrl"}},
		{unix.NLM_F_DUMP, schema.Fields{"cmd": "getpolicy", "version": 2, "family_name": "nlctrl", "op": unix.CTRL_CMD_GETFAMILY}},
	}
	if len(reqs) != len(fields) {
		t.Fatalf("%d requests in the capture, want %d", len(reqs), len(fields))
	}
	for i, tt := range fields {
		var e packet.Encoder
		if err := genl.Family.Encode(&e, unix.GENL_ID_CTRL, tt.flags, tt.f); err != nil {
			t.Fatal(err)
		}
		got := e.Bytes()
		// The capture has the flags and sequence number the Conn set;
		// compare everything after the nlmsghdr, and its length and type.
		if len(got) != len(reqs[i]) || hex.EncodeToString(got[packet.HeaderLen:]) != hex.EncodeToString(reqs[i][packet.HeaderLen:]) ||
			got[4] != reqs[i][4] || got[5] != reqs[i][5] {
			t.Errorf("request %d:\n got %x\nwant %x", i, got, reqs[i])
		}
	}
}

// TestBadInput: a malformed policy is an error naming where it went
// wrong, at the level it went wrong; a policy is never encoded.
func TestBadInput(t *testing.T) {
	hdr := []byte{unix.CTRL_CMD_GETPOLICY, 2, 0, 0}
	tests := []struct {
		name  string
		attrs func(e *packet.Encoder)
		path  []string // field, then a field of its first element
		err   string
	}{
		{"short policy type", func(e *packet.Encoder) {
			p := e.BeginNested(unix.CTRL_ATTR_POLICY)
			i := e.BeginNested(0)
			a := e.BeginNested(1)
			e.Uint16(unix.NL_POLICY_TYPE_ATTR_TYPE, 3)
			e.EndNested(a)
			e.EndNested(i)
			e.EndNested(p)
		}, []string{"policy", "type"}, "u32"},
		{"short op policy", func(e *packet.Encoder) {
			p := e.BeginNested(unix.CTRL_ATTR_OP_POLICY)
			o := e.BeginNested(3)
			e.Uint8(unix.CTRL_ATTR_POLICY_DO, 1)
			e.EndNested(o)
			e.EndNested(p)
		}, []string{"op_policy", "do"}, "u32"},
		{"truncated policy nest", func(e *packet.Encoder) {
			e.Attr(unix.CTRL_ATTR_POLICY, []byte{8, 0, 0, 0})
		}, []string{"policy"}, "family.policy: netlink: bad attribute length"},
	}
	for _, tt := range tests {
		e := packet.NewEncoder(nil)
		e.Append(hdr)
		tt.attrs(e)
		v, err := schema.Decode(genl.Family, e.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		val, _, err := v.Get(tt.path[0])
		if len(tt.path) > 1 && err == nil {
			_, _, err = val.([]any)[0].(*schema.View).Get(tt.path[1])
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: Get(%v) = %v, want an error with %q", tt.name, tt.path, err, tt.err)
		}
	}
	var e packet.Encoder
	err := genl.Family.Encode(&e, unix.GENL_ID_CTRL, 0, schema.Fields{"cmd": "getpolicy", "policy": []any{}})
	if err == nil {
		t.Error("encoding a policy succeeded")
	}
}

func FuzzGenlDecode(f *testing.F) {
	_, replies := capture(f)
	for _, b := range replies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := schema.Decode(genl.Family, b)
		if err != nil {
			return
		}
		// Nothing the kernel could send may panic: read every field, by
		// name and as JSON.
		for _, name := range genl.Family.FieldNames() {
			_, _, _ = v.Get(name)
		}
		v.Fields(func(schema.FieldValue) bool { return true })
		_, _ = v.MarshalJSON()
	})
}
