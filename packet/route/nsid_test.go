package route_test

import (
	"bytes"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func TestNSIDFixture(t *testing.T) {
	views := decodeFixture(t, route.NSIDMessage, unix.RTM_NEWNSID, "nsid_dump")
	if len(views) != 1 || jsonOf(t, views[0], "nsid") != "5" {
		t.Fatalf("nsid fixture: %d ids, first %s", len(views), views[0].AppendJSON(nil))
	}
}

// TestNSIDCodec covers the request forms: by fd, by pid, and a dump of
// another namespace's ids, whose answers carry current_nsid.
func TestNSIDCodec(t *testing.T) {
	_, b := encodeFields(t, route.NSIDMessage, schema.Fields{"nsid": -1, "fd": 7})
	want := []byte{0, 0, 0, 0, 8, 0, unix.NETNSA_NSID, 0, 0xff, 0xff, 0xff, 0xff, 8, 0, unix.NETNSA_FD, 0, 7, 0, 0, 0}
	if !bytes.Equal(b, want) {
		t.Errorf("got % x, want % x", b, want)
	}
	for _, f := range []schema.Fields{{"nsid": 3, "pid": 1}, {"target_nsid": 2}} {
		v, _ := encodeFields(t, route.NSIDMessage, f)
		roundTripView(t, route.NSIDMessage, v)
	}
	// An answer to a target_nsid dump, hand-built: nsid 4, current_nsid 1.
	v, err := schema.Decode(route.NSIDMessage, []byte{0, 0, 0, 0, 8, 0, 1, 0, 4, 0, 0, 0, 8, 0, 5, 0, 1, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, v, "nsid") != "4" || jsonOf(t, v, "current_nsid") != "1" {
		t.Errorf("decoded %s", v.AppendJSON(nil))
	}
}
