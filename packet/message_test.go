package packet_test

import (
	"errors"
	"reflect"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

func TestMessageScannerFixtures(t *testing.T) {
	tests := []struct {
		name  string
		types []uint16
	}{
		{"link_dump", []uint16{unix.RTM_NEWLINK, unix.RTM_NEWLINK}}, // lo and v1; v0 is in the next datagram
		{"ack", []uint16{unix.NLMSG_ERROR}},
		{"err_policy", []uint16{unix.NLMSG_ERROR}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := fixture(t, tt.name)
			var got []uint16
			s := packet.NewMessageScanner(b)
			for s.Next() {
				m := s.Message()
				got = append(got, m.Header.Type)
				if int(m.Header.Len) != packet.HeaderLen+len(m.Data) {
					t.Errorf("message length %d, data %d", m.Header.Len, len(m.Data))
				}
				if m.Header.Seq != 1 {
					t.Errorf("seq %d, want 1", m.Header.Seq)
				}
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.types) {
				t.Errorf("types %v, want %v", got, tt.types)
			}
		})
	}
}

func TestMessageScannerMalformed(t *testing.T) {
	good := fixture(t, "ack")
	withLen := func(n uint32) []byte {
		b := append([]byte(nil), good...)
		packet.PutHeader(b, unix.NlMsghdr{Len: n, Type: unix.NLMSG_ERROR})
		return b
	}
	tests := []struct {
		name string
		b    []byte
		msgs int
	}{
		{"empty", nil, 0},
		{"short header", good[:10], 0},
		{"length below header", withLen(8), 0},
		{"length past end", withLen(uint32(len(good) + 4)), 0},
		{"zero length", withLen(0), 0},
		{"trailing garbage", append(append([]byte(nil), good...), 1, 2, 3), 1},
		{"huge length", withLen(0xffffffff), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := packet.NewMessageScanner(tt.b)
			n := 0
			for s.Next() {
				n++
			}
			if n != tt.msgs {
				t.Errorf("read %d messages, want %d", n, tt.msgs)
			}
			wantErr := tt.name != "empty"
			if gotErr := s.Err() != nil; gotErr != wantErr {
				t.Errorf("err = %v, want error: %v", s.Err(), wantErr)
			}
			if wantErr && !errors.Is(s.Err(), packet.ErrTruncated) {
				t.Errorf("err %v is not ErrTruncated", s.Err())
			}
		})
	}
}

func TestMessageScannerAllocs(t *testing.T) {
	b := fixture(t, "link_dump")
	allocs := testing.AllocsPerRun(100, func() {
		s := packet.NewMessageScanner(b)
		for s.Next() {
			a := packet.NewAttrScanner(s.Message().Data[unix.SizeofIfInfomsg:])
			for a.Next() {
			}
		}
	})
	if allocs != 0 {
		t.Errorf("scanning allocates %v times, want 0", allocs)
	}
}

func TestFlagNames(t *testing.T) {
	tests := []struct {
		flags   uint16
		typ     uint16
		request bool
		want    []string
	}{
		{unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_CREATE | unix.NLM_F_EXCL, unix.RTM_NEWROUTE, true, []string{"REQUEST", "ACK", "EXCL", "CREATE"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_DUMP, unix.RTM_GETLINK, true, []string{"REQUEST", "ROOT", "MATCH"}},
		{unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_BULK, unix.RTM_DELNEIGH, true, []string{"REQUEST", "ACK", "BULK"}},
		{unix.NLM_F_CAPPED | unix.NLM_F_ACK_TLVS, unix.NLMSG_ERROR, false, []string{"CAPPED", "ACK_TLVS"}},
		{unix.NLM_F_MULTI | unix.NLM_F_DUMP_INTR, unix.RTM_NEWROUTE, false, []string{"MULTI", "DUMP_INTR"}},
		{0x8000, unix.RTM_NEWROUTE, false, []string{"0x8000"}},
	}
	for _, tt := range tests {
		if got := packet.FlagNames(packet.Flags(tt.flags), tt.typ, tt.request); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FlagNames(%#x, %d) = %v, want %v", tt.flags, tt.typ, got, tt.want)
		}
	}
}
