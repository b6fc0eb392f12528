// Package bridge is the Starlark module bridge: the forwarding database,
// per-port VLANs and the multicast database, as the bridge command shows
// them.
//
//	bridge.fdb.add("02:00:00:00:00:01", dev="v0", master=True, state="static")
//	for e in bridge.fdb.list(dev="v0"):
//	    print(e.lladdr, e.vlan, e.state)
//	bridge.vlan.add(dev="v0", vid=10, pvid=True, untagged=True)
//	bridge.mdb.add(dev="br0", port="v0", grp="239.1.1.1", permanent=True)
package bridge

import (
	"fmt"
	"net/netip"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/ip"
	"github.com/nlsh/nlsh/packet/bridge"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// Module is the bridge module, for the runtime's list of modules.
type Module struct{}

// Name returns "bridge".
func (Module) Name() string { return "bridge" }

// New builds the bridge module for a session.
func (Module) New(sess *bindings.Session) starlark.Value {
	members := starlark.StringDict{}
	for name, specs := range Specs() {
		fns := starlark.StringDict{}
		for _, spec := range specs {
			for k, v := range spec.Functions(sess) {
				fns[k] = v
			}
		}
		members[name] = &starlarkstruct.Module{Name: "bridge." + name, Members: fns}
	}
	return &starlarkstruct.Module{Name: "bridge", Members: members}
}

// Specs returns the bridge module's objects by member name; mdb lists with
// one spec and changes with another, since its requests differ from its
// reports.
func Specs() map[string][]*bindings.ObjectSpec {
	return map[string][]*bindings.ObjectSpec{
		"fdb": {{
			Module: "bridge.fdb", Family: route.Family, Object: route.Neigh,
			Doc:        "the forwarding database: MAC addresses by port and VLAN",
			Positional: map[string][]string{"add": {"lladdr"}, "set": {"lladdr"}, "change": {"lladdr"}, "replace": {"lladdr"}, "delete": {"lladdr"}, "get": {"lladdr"}},
			Args: map[string]string{
				"dev": "the port (or bridge), by name or index", "master": "True: the bridge's table (as bridge fdb ... master)",
				"self": "True: the device's own table", "state": "permanent, static or dynamic",
			},
			ArgOf: map[string]string{"ifindex": "dev"}, Prepare: prepareFDB,
		}},
		"vlan": {{
			Module: "bridge.vlan", Family: bridge.Family, Object: bridge.VLAN,
			Doc:        "VLANs of bridge ports: list, add, delete",
			Positional: map[string][]string{"add": {"dev"}, "delete": {"dev"}},
			Args: map[string]string{
				"dev": "the port, by name or index", "vid": "the VLAN id", "vid_end": "the last VLAN of a range",
				"pvid": "True: the port's PVID", "untagged": "True: egress untagged", "master": "True: the bridge's table (default)",
				"self": "True: the device's own table",
			},
			ArgOf: map[string]string{"ifindex": "dev"}, Prepare: prepareVLAN,
		}},
		"mdb": {{
			Module: "bridge.mdb", Family: bridge.Family, Object: bridge.MDB,
			Doc:  "the multicast database: list",
			Args: map[string]string{"dev": "the bridge, by name or index"}, ArgOf: map[string]string{"ifindex": "dev"},
			Prepare: prepareMDB,
		}, {
			Module: "bridge.mdb", Family: bridge.Family, Object: bridge.MDBEntry,
			Doc: "the multicast database: add, delete",
			Args: map[string]string{
				"dev": "the bridge", "port": "the port", "grp": "the group: IPv4, IPv6 or MAC",
				"permanent": "True for a permanent entry", "vid": "the VLAN",
			},
			ArgOf: map[string]string{"ifindex": "dev"}, Prepare: prepareMDBEntry,
		}},
	}
}

// fdbStates maps bridge fdb's words to NUD states.
var fdbStates = map[string]string{"permanent": "PERMANENT", "static": "NOARP", "dynamic": "REACHABLE"}

func prepareFDB(c *bindings.Call, f schema.Fields) error {
	f["family"] = int64(unix.AF_BRIDGE)
	if err := ip.ResolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	var flags []string
	for _, k := range []string{"master", "self"} {
		if on, ok := f[k].(bool); ok {
			delete(f, k)
			if on {
				flags = append(flags, k)
			}
		}
	}
	if len(flags) > 0 {
		f["flags"] = flags
	}
	if s, ok := f["state"].(string); ok {
		nud, known := fdbStates[s]
		if !known {
			return fmt.Errorf("%s: state: want permanent, static or dynamic, got %q", c.Fn, s)
		}
		f["state"] = nud
	} else if c.Op != 0 && !c.Filter {
		f["state"] = "PERMANENT"
	}
	return nil
}

func prepareVLAN(c *bindings.Call, f schema.Fields) error {
	f["family"] = int64(unix.AF_BRIDGE)
	if err := ip.ResolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	if c.Filter {
		f["ext_mask"] = []string{"brvlan"}
		return nil
	}
	vid, ok := f["vid"].(int64)
	if !ok || vid < 1 || vid > 4094 {
		return fmt.Errorf("%s: vid: want 1 to 4094, got %v", c.Fn, f["vid"])
	}
	var flags []string
	for arg, flag := range map[string]string{"pvid": "PVID", "untagged": "Egress Untagged"} {
		if on, _ := f[arg].(bool); on {
			flags = append(flags, flag)
		}
		delete(f, arg)
	}
	end, isRange := f["vid_end"].(int64)
	delete(f, "vid")
	delete(f, "vid_end")
	var infos []any
	if isRange && end > vid {
		infos = []any{
			schema.Fields{"vid": vid, "flags": append(append([]string{}, flags...), "range_begin")},
			schema.Fields{"vid": end, "flags": append(append([]string{}, flags...), "range_end")},
		}
	} else {
		infos = []any{schema.Fields{"vid": vid, "flags": flags}}
	}
	brflags := int64(1) // BRIDGE_FLAGS_MASTER
	if on, _ := f["self"].(bool); on {
		brflags = 2 // BRIDGE_FLAGS_SELF
	}
	delete(f, "self")
	delete(f, "master")
	f["af_spec"] = schema.Fields{"bridge": schema.Fields{"flags": brflags, "vlan_info": infos}}
	return nil
}

func prepareMDB(c *bindings.Call, f schema.Fields) error {
	f["family"] = int64(unix.AF_BRIDGE)
	return ip.ResolveDev(c, f, "dev", "ifindex")
}

func prepareMDBEntry(c *bindings.Call, f schema.Fields) error {
	f["family"] = int64(unix.AF_BRIDGE)
	if err := ip.ResolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	entry := schema.Fields{}
	port := schema.Fields{}
	if p, ok := f["port"]; ok {
		port["p"] = p
		if err := ip.ResolveDev(c, port, "p", "port"); err != nil {
			return err
		}
		entry["port"] = port["port"]
	}
	if perm, _ := f["permanent"].(bool); perm {
		entry["state"] = "permanent"
	}
	if v, ok := f["vid"]; ok {
		entry["vid"] = v
	}
	g, _ := f["grp"].(string)
	addr := make([]byte, 16)
	if ip, err := netip.ParseAddr(g); err == nil {
		copy(addr, ip.Unmap().AsSlice())
		entry["proto"] = int64(0x86dd)
		if ip.Unmap().Is4() {
			entry["proto"] = int64(0x0800)
		}
	} else if mac, err := parseMAC(g); err == nil {
		copy(addr, mac)
		entry["proto"] = int64(0)
	} else {
		return fmt.Errorf("%s: grp: want an IP or MAC group address, got %q", c.Fn, g)
	}
	entry["addr"] = addr
	for _, k := range []string{"port", "permanent", "vid", "grp"} {
		delete(f, k)
	}
	f["entry"] = entry
	return nil
}

func parseMAC(s string) ([]byte, error) {
	var b [6]byte
	if _, err := fmt.Sscanf(s, "%02x:%02x:%02x:%02x:%02x:%02x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]); err != nil {
		return nil, err
	}
	return b[:], nil
}
