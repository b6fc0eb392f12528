package bridge_test

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/bridge"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestVLANRequestBytes checks, byte for byte, the request bridge vlan add
// dev p0 vid 10 pvid untagged sends: this kernel has no bridge VLAN
// filtering, so the request is proven here rather than by the kernel.
func TestVLANRequestBytes(t *testing.T) {
	var e packet.Encoder
	err := bridge.VLAN.Message.Encode(&e, unix.RTM_SETLINK, unix.NLM_F_REQUEST|unix.NLM_F_ACK, schema.Fields{
		"family": unix.AF_BRIDGE, "ifindex": 3,
		"af_spec": schema.Fields{"bridge": schema.Fields{"flags": 1, "vlan_info": []any{
			schema.Fields{"vid": 10, "flags": []string{"PVID", "Egress Untagged"}},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "" +
		"38000000" + "1300" + "0500" + "00000000" + "00000000" + // nlmsghdr: 56 bytes, RTM_SETLINK
		"07000000" + "03000000" + "00000000" + "00000000" + // ifinfomsg: AF_BRIDGE, ifindex 3
		"18001a80" + // IFLA_AF_SPEC, nested
		"14000780" + // AF_BRIDGE, nested
		"06000000" + "01000000" + // IFLA_BRIDGE_FLAGS = BRIDGE_FLAGS_MASTER
		"08000200" + "06000a00" // IFLA_BRIDGE_VLAN_INFO {flags PVID|UNTAGGED, vid 10}
	if got := hex.EncodeToString(e.Bytes()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	v, err := schema.Decode(route.LinkMessage, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	j, _ := v.MarshalJSON()
	if !json.Valid(j) || string(j) != `{"link_type":"netrom","ifindex":3,"flags":[],"af_spec":{"bridge":{"flags":1,"vlan_info":[{"flags":["PVID","Egress Untagged"],"vid":10}]}}}` {
		t.Errorf("decoded %s", j)
	}
}

// TestMDBEntryDecode decodes an MDB dump message built as the kernel
// builds one (br_mdb_entry, then MDBA_MDB_EATTR_*).
func TestMDBEntryDecode(t *testing.T) {
	entry := make([]byte, 28)
	binary.NativeEndian.PutUint32(entry[0:], 4)
	entry[4] = 1 // permanent
	binary.NativeEndian.PutUint16(entry[6:], 10)
	copy(entry[8:], []byte{239, 1, 1, 1})
	binary.BigEndian.PutUint16(entry[24:], 0x0800)
	var e packet.Encoder
	e.BeginMessage(unix.RTM_GETMDB, unix.NLM_F_MULTI)
	e.Append([]byte{unix.AF_BRIDGE, 0, 0, 0, 2, 0, 0, 0})
	mdb := e.BeginNestedRaw(1)
	ent := e.BeginNestedRaw(1)
	info := e.BeginNestedRaw(1)
	e.Append(entry)
	e.Uint32(1, 0) // timer
	e.Uint8(5, 4)  // rtprot static
	e.EndNested(info)
	e.EndNested(ent)
	e.EndNested(mdb)
	e.EndMessage()
	v, err := schema.Decode(bridge.MDBMessage, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	j, _ := v.MarshalJSON()
	want := `{"ifindex":2,"mdb":{"entry":[{"info":[{"port":4,"state":"permanent","flags":[],"vid":10,"grp":"239.1.1.1","timer":0,"protocol":"static"}]}]}}`
	if string(j) != want {
		t.Errorf("got  %s\nwant %s", j, want)
	}
	if _, err := (schema.Decode(bridge.MDBMessage, e.Bytes()[packet.HeaderLen:len(e.Bytes())-20])); err != nil {
		t.Fatal(err)
	}
}

// FuzzBridgeDecode decodes arbitrary bytes as every bridge object.
func FuzzBridgeDecode(f *testing.F) {
	f.Add(make([]byte, 8))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, obj := range bridge.Family.Objects {
			v, err := schema.Decode(obj.Message, b)
			if err != nil {
				continue
			}
			if j, _ := v.MarshalJSON(); !json.Valid(j) {
				t.Fatalf("%s: invalid JSON %s", obj.Name(), j)
			}
		}
	})
}
