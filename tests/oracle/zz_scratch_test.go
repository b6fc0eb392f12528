package oracle

import (
	"fmt"
	"os"
	"testing"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func TestZZScratch(t *testing.T) {
	ns := &nstest.NS{Name: os.Getenv("SCRATCHNS")}
	for _, o := range []struct {
		obj *schema.Object
		hdr schema.Fields
	}{{route.Rule, nil}, {route.Nexthop, schema.Fields{"op_flags": []string{"dump_stats"}}}, {route.Netconf, nil}, {route.AddrLabel, schema.Fields{"family": 10}}, {route.NTable, nil}, {route.NSID, nil}} {
		for _, v := range dump(t, ns, o.obj, o.hdr) {
			fmt.Printf("%s %s\n", o.obj.Name(), v.AppendJSON(nil))
		}
	}
}
