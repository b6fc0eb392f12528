package oracle

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestOracleAddrLabel compares every address label ip lists, and adds and
// deletes one from our encoding.
func TestOracleAddrLabel(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "addrlabel", "add", "prefix", "2001:db8:100::/64", "label", "200")
	ns.Run("ip", "addrlabel", "add", "prefix", "2001:db8:200::/48", "dev", "v0", "label", "300")
	ns.Run("ip", "addrlabel", "add", "prefix", "2001:db8:300::1/128", "label", "301")
	names := linkNames(t, ns)
	idx := map[string]int64{}
	for k, name := range names {
		idx[name] = int64(k)
	}
	mustExecute(t, ns, route.AddrLabelMessage, unix.RTM_NEWADDRLABEL, unix.NLM_F_CREATE|unix.NLM_F_EXCL,
		schema.Fields{"family": "inet6", "address": "2001:db8:400::", "prefixlen": 56, "ifindex": idx["v1"], "label": 400})
	key := func(addr, plen any) string { return fmt.Sprintf("%v/%v", addr, plen) }
	// The kernel has address labels for IPv6 only, and answers a dump of
	// any other family with EOPNOTSUPP.
	ours := map[string]*schema.View{}
	for _, v := range dump(t, ns, route.AddrLabel, schema.Fields{"family": unix.AF_INET6}) {
		ours[key(str(v, "address"), str(v, "prefixlen"))] = v
	}
	theirsAll := ipJSON(t, ns, "ip", "addrlabel", "list")
	if len(theirsAll) != 14 || len(ours) != 14 {
		t.Errorf("ip lists %d labels, nlsh %d; want 14", len(theirsAll), len(ours))
	}
	for _, theirs := range theirsAll {
		k := key(theirs["address"], theirs["prefixlen"])
		v := ours[k]
		if v == nil {
			t.Errorf("addrlabel %s: ip lists it, nlsh does not", k)
			continue
		}
		compareFields(t, "addrlabel "+k, v, theirs, nil, "ifname")
		ifindex, _ := ourField(v, "ifindex")
		if want, ok := theirs["ifname"]; ok {
			checkField(t, "addrlabel "+k, "ifname", names[toF(ifindex)], want)
		} else {
			checkField(t, "addrlabel "+k, "ifindex", ifindex, float64(0))
		}
	}
	if v := ours["2001:db8:400::/56"]; v == nil {
		t.Error("addrlabel 2001:db8:400::/56: added, not listed")
	}
	mustExecute(t, ns, route.AddrLabelMessage, unix.RTM_DELADDRLABEL, 0,
		schema.Fields{"family": "inet6", "address": "2001:db8:400::", "prefixlen": 56, "ifindex": idx["v1"], "label": 400})
	if n := len(ipJSON(t, ns, "ip", "addrlabel", "list")); n != 13 {
		t.Errorf("after delete, ip lists %d labels, want 13", n)
	}
}
