package oracle

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestOracleNSID compares the namespace ids ip lists, one set by ip and
// one by our encoding (naming the peer by an open file of it).
func TestOracleNSID(t *testing.T) {
	ns := nstest.New(t)
	peer := nstest.New(t)
	other := nstest.New(t)
	ns.Run("ip", "netns", "set", peer.Name, "5")
	f, err := os.Open(other.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mustExecute(t, ns, route.NSIDMessage, unix.RTM_NEWNSID, unix.NLM_F_CREATE|unix.NLM_F_EXCL,
		schema.Fields{"nsid": 9, "fd": int(f.Fd())})
	byID := map[float64]*schema.View{}
	for _, v := range dump(t, ns, route.NSID, nil) {
		id, _ := ourField(v, "nsid")
		byID[toF(id)] = v
	}
	theirs := ipJSON(t, ns, "ip", "netns", "list-id")
	if len(theirs) != 2 || len(byID) != 2 {
		t.Fatalf("ip lists %d ids, nlsh %d; want 2", len(theirs), len(byID))
	}
	names := map[float64]string{5: peer.Name, 9: other.Name}
	for _, th := range theirs {
		id := toF(th["nsid"])
		if byID[id] == nil {
			t.Errorf("nsid %v: ip lists it, nlsh does not", id)
			continue
		}
		compareFields(t, "nsid", byID[id], th, nil, "name")
		checkField(t, "nsid", "name", names[id], th["name"])
	}
	// A get by fd answers with the id.
	replies := mustExecute(t, ns, route.NSIDMessage, unix.RTM_GETNSID, 0, schema.Fields{"fd": int(f.Fd())})
	if len(replies) != 1 {
		t.Fatalf("get nsid: %d replies, want 1", len(replies))
	}
	v, err := schema.Decode(route.NSIDMessage, replies[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := ourField(v, "nsid")
	checkField(t, "get nsid", "nsid", got, float64(9))
}
