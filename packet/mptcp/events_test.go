package mptcp_test

import (
	"strings"
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestEvents decodes one notification of each kind, written out by hand
// from include/uapi/linux/mptcp.h: genlmsghdr (the MPTCP_EVENT_* command,
// version 1), then MPTCP_ATTR_* in the order net/mptcp/pm_netlink.c puts
// them: TOKEN (1, u32), FAMILY (2, u16), LOC_ID (3, u8), REM_ID (4, u8),
// SADDR4 (5) or SADDR6 (6), DADDR4 (7) or DADDR6 (8), SPORT (9) and DPORT
// (10) big-endian u16, BACKUP (11, u8), ERROR (12, u8), FLAGS (13, u16),
// IF_IDX (15, s32), RESET_REASON (16, u32), RESET_FLAGS (17, u32),
// SERVER_SIDE (18, u8). The created, established, closed and listener
// messages are the ones the kernel sent for a loopback connection from
// 127.0.0.1:50792 (0xc668) to 127.0.0.1:56183 (0xdb77).
func TestEvents(t *testing.T) {
	tests := []struct {
		name  string
		hex   string
		event string
		json  string
	}{
		{"client's created", "01010000" +
			"08000100 0162834c" + // token 0x4c836201
			"06000200 02000000" + // AF_INET
			"08000500 7f000001" + // saddr4
			"08000700 7f000001" + // daddr4
			"06000900 c6680000" + // sport 50792
			"06000a00 db770000" + // dport 56183
			"05000300 00000000" + // loc_id 0
			"05000400 00000000", // rem_id 0
			"created", `{"token":1283678721,"family":"inet","loc_id":0,"rem_id":0,"saddr":"127.0.0.1","daddr":"127.0.0.1","sport":50792,"dport":56183}`},
		{"server's established", "02010000" +
			"08000100 7e2b63a3" + // token 0xa3632b7e
			"05001200 01000000" + // server_side
			"06000d00 02000000" + // flags SERVER_SIDE
			"06000200 02000000" +
			"08000500 7f000001" +
			"08000700 7f000001" +
			"06000900 db770000" +
			"06000a00 c6680000" +
			"05000300 00000000" +
			"05000400 00000000",
			"established", `{"token":2741185406,"family":"inet","loc_id":0,"rem_id":0,"saddr":"127.0.0.1","daddr":"127.0.0.1","sport":56183,"dport":50792,"flags":["server_side"],"server_side":1}`},
		{"v6 created, join denied", "01010000" +
			"08000100 01000000" +
			"06000d00 01000000" + // flags DENY_JOIN_ID0
			"06000200 0a000000" + // AF_INET6
			"14000600 20010db8000000000000000000000001" +
			"14000800 20010db8000000000000000000000002" +
			"06000900 1f900000" + // sport 8080
			"06000a00 01bb0000", // dport 443
			"created", `{"token":1,"family":"inet6","saddr":"2001:db8::1","daddr":"2001:db8::2","sport":8080,"dport":443,"flags":["deny_join_id0"]}`},
		{"closed", "03010000" + "08000100 0162834c", "closed", `{"token":1283678721}`},
		{"announced", "06010000" +
			"08000100 02000000" +
			"05000400 07000000" + // rem_id 7
			"06000a00 27100000" + // dport 10000
			"08000700 0a000002", // daddr4 10.0.0.2
			"announced", `{"token":2,"rem_id":7,"daddr":"10.0.0.2","dport":10000}`},
		{"removed", "07010000" + "08000100 02000000" + "05000400 07000000",
			"removed", `{"token":2,"rem_id":7}`},
		{"sub_established", "0a010000" +
			"08000100 02000000" +
			"06000200 02000000" +
			"08000500 0a000101" + // saddr4 10.0.1.1
			"08000700 0a000002" +
			"06000900 a0000000" + // sport 40960
			"06000a00 00500000" + // dport 80
			"05000300 02000000" + // loc_id 2
			"05000400 00000000" +
			"05000b00 01000000" + // backup
			"08000f00 03000000", // if_idx 3
			"sub_established", `{"token":2,"family":"inet","loc_id":2,"rem_id":0,"saddr":"10.0.1.1","daddr":"10.0.0.2","sport":40960,"dport":80,"backup":1,"if_idx":3}`},
		{"sub_closed, reset", "0b010000" +
			"08000100 02000000" +
			"06000200 02000000" +
			"08000500 0a000101" +
			"08000700 0a000002" +
			"06000900 a0000000" +
			"06000a00 00500000" +
			"05000300 02000000" +
			"05000400 00000000" +
			"05000b00 00000000" +
			"05000c00 68000000" + // error 104, ECONNRESET
			"08001000 05000000" + // reset_reason 5, EBADPERF
			"08001100 01000000", // reset_flags: transient
			"sub_closed", `{"token":2,"family":"inet","loc_id":2,"rem_id":0,"saddr":"10.0.1.1","daddr":"10.0.0.2","sport":40960,"dport":80,"backup":0,"error":104,"reset_reason":5,"reset_flags":1}`},
		{"sub_priority", "0d010000" + "08000100 02000000" + "05000300 02000000" + "05000b00 01000000",
			"sub_priority", `{"token":2,"loc_id":2,"backup":1}`},
		{"listener_created", "0f010000" +
			"06000200 02000000" +
			"06000900 db770000" +
			"08000500 7f000001",
			"listener_created", `{"family":"inet","saddr":"127.0.0.1","sport":56183}`},
		{"v6 listener_closed", "10010000" +
			"06000200 0a000000" +
			"06000900 27100000" +
			"14000600 00000000000000000000000000000000", // ::
			"listener_closed", `{"family":"inet6","saddr":"::","sport":10000}`},
	}
	for _, tt := range tests {
		b := testhex.Decode(t, tt.hex)
		ev := mptcp.Family.Event(b[0])
		if ev == nil {
			t.Errorf("%s: no event for command %d", tt.name, b[0])
			continue
		}
		if ev.Name != tt.event || ev.Message.Name != tt.event {
			t.Errorf("%s: event %s (message %s), want %s", tt.name, ev.Name, ev.Message.Name, tt.event)
		}
		v, err := schema.Decode(ev.Message, b)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		j, err := v.MarshalJSON()
		if err != nil || string(j) != tt.json {
			t.Errorf("%s:\n got %s (%v)\nwant %s", tt.name, j, err, tt.json)
		}
	}
}

// TestEventNames: every MPTCP_EVENT_* the kernel sends has an event, named
// as the spec names it; the commands between them have none.
func TestEventNames(t *testing.T) {
	want := map[uint8]string{1: "created", 2: "established", 3: "closed", 6: "announced", 7: "removed",
		10: "sub_established", 11: "sub_closed", 13: "sub_priority", 15: "listener_created", 16: "listener_closed"}
	for cmd := range uint8(20) {
		ev := mptcp.Family.Event(cmd)
		switch {
		case want[cmd] == "" && ev != nil:
			t.Errorf("command %d: event %s, want none", cmd, ev.Name)
		case want[cmd] != "" && (ev == nil || ev.Name != want[cmd]):
			t.Errorf("command %d: event %v, want %s", cmd, ev, want[cmd])
		}
	}
	if got := mptcp.Family.Groups; len(got) != 1 || got[0] != "mptcp_pm_events" {
		t.Errorf("groups %q", got)
	}
}

// TestBadEvent: attributes of the wrong size are errors naming the field,
// never panics, and the fields around them still read.
func TestBadEvent(t *testing.T) {
	b := testhex.Decode(t, "01010000"+
		"08000100 02000000"+
		"07000500 0a0001 00"+ // saddr4 of 3 bytes
		"05000900 01000000"+ // sport of 1 byte
		"08000d00 01000000") // flags of 4 bytes
	v, err := schema.Decode(mptcp.Family.Event(1).Message, b)
	if err != nil {
		t.Fatal(err)
	}
	if tok, ok, err := v.Get("token"); !ok || err != nil || tok != uint64(2) {
		t.Errorf("token %v %v %v", tok, ok, err)
	}
	for _, field := range []string{"saddr", "sport", "flags"} {
		if _, _, err := v.Get(field); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("bad %s: %v", field, err)
		}
	}
}
