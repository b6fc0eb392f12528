package oracle

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet/bridge"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func bridgeScenario(t *testing.T) *nstest.NS {
	ns := nstest.New(t)
	ns.Run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	for _, cmd := range [][]string{
		{"ip", "link", "add", "br0", "type", "bridge"},
		{"ip", "link", "add", "p0", "type", "veth", "peer", "q0"},
		{"ip", "link", "set", "p0", "master", "br0"},
		{"ip", "link", "set", "br0", "up"}, {"ip", "link", "set", "p0", "up"}, {"ip", "link", "set", "q0", "up"},
		{"bridge", "fdb", "add", "02:00:00:00:00:01", "dev", "p0", "master", "static"},
		{"bridge", "fdb", "add", "02:00:00:00:00:02", "dev", "p0", "master", "permanent"},
		{"bridge", "fdb", "add", "02:00:00:00:00:03", "dev", "p0", "self", "permanent"},
		{"bridge", "mdb", "add", "dev", "br0", "port", "p0", "grp", "239.1.1.1", "permanent"},
		{"bridge", "mdb", "add", "dev", "br0", "port", "p0", "grp", "239.1.1.2"},
	} {
		ns.Run(cmd[0], cmd[1:]...)
	}
	return ns
}

// TestFDBOracle compares the AF_BRIDGE neighbours with bridge -j fdb show:
// the MAC, the port and the master by name, the state in bridge's words,
// the flags.
func TestFDBOracle(t *testing.T) {
	ns := bridgeScenario(t)
	names := linkNames(t, ns)
	states := map[string]string{"PERMANENT": "permanent", "NOARP": "static", "REACHABLE": ""}
	var ours, theirs []string
	for _, v := range dump(t, ns, route.Neigh, schema.Fields{"family": unix.AF_BRIDGE}) {
		mac, _ := ourField(v, "lladdr")
		idx, _ := ourField(v, "ifindex")
		st, _ := ourField(v, "state")
		state := ""
		for _, s := range st.([]any) {
			state = states[s.(string)]
		}
		var flags []string
		fl, _ := ourField(v, "flags")
		for _, f := range fl.([]any) {
			if f == "self" {
				flags = append(flags, "self")
			}
		}
		master := ""
		if m, ok := ourField(v, "master"); ok {
			master = names[toF(m)]
		}
		ours = append(ours, fmt.Sprintf("%v %s master=%s state=%s flags=%v", mac, names[toF(idx)], master, state, flags))
	}
	for _, e := range ipJSON(t, ns, "bridge", "fdb", "show") {
		var flags []string
		for _, f := range e["flags"].([]any) {
			flags = append(flags, f.(string))
		}
		master, _ := e["master"].(string)
		state, _ := e["state"].(string)
		theirs = append(theirs, fmt.Sprintf("%v %v master=%s state=%s flags=%v", e["mac"], e["ifname"], master, state, flags))
	}
	sort.Strings(ours)
	sort.Strings(theirs)
	if !slices.Equal(ours, theirs) {
		t.Errorf("fdb:\nnlsh:\n%v\nbridge:\n%v", ours, theirs)
	}
	if len(theirs) < 3 {
		t.Errorf("bridge lists %d entries, want at least the 3 added", len(theirs))
	}
}

// TestMDBOracle compares the MDB dump with bridge -j mdb show.
func TestMDBOracle(t *testing.T) {
	ns := bridgeScenario(t)
	names := linkNames(t, ns)
	var ours, theirs []string
	for _, v := range dumpFamily(t, ns, bridge.Family, bridge.MDB, schema.Fields{"family": unix.AF_BRIDGE}) {
		idx, _ := ourField(v, "ifindex")
		if m := field(v, "mdb"); m != nil {
			entries, _, _ := m.Get("entry")
			for _, e := range entries.([]any) {
				infos, _, _ := e.(*schema.View).Get("info")
				for _, i := range infos.([]any) {
					info := i.(*schema.View)
					port, _ := ourField(info, "port")
					ours = append(ours, fmt.Sprintf("%s %s %s %s", names[toF(idx)], names[toF(port)], str(info, "grp"), str(info, "state")))
				}
			}
		}
	}
	for _, br := range ipJSON(t, ns, "bridge", "mdb", "show") {
		for _, e := range br["mdb"].([]any) {
			m := e.(map[string]any)
			theirs = append(theirs, fmt.Sprintf("%v %v %v %v", m["dev"], m["port"], m["grp"], m["state"]))
		}
	}
	sort.Strings(ours)
	sort.Strings(theirs)
	if !slices.Equal(ours, theirs) || len(theirs) < 2 {
		t.Errorf("mdb:\nnlsh:   %v\nbridge: %v", ours, theirs)
	}
}
