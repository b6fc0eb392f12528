package ip

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func linkSpec() *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip.link", Family: route.Family, Object: route.Link,
		Doc: "network interfaces: list, get, add, set, delete",
		Positional: map[string][]string{
			"get": {"dev"}, "set": {"dev"}, "change": {"dev"}, "delete": {"dev"},
			"add": {"ifname"}, "replace": {"ifname"},
		},
		Args: map[string]string{
			"dev":   "the interface to act on, by name or index",
			"up":    "True to bring the interface up, False to take it down",
			"kind":  "the link kind to create: veth, bridge, vxlan, macvlan, ifb, ...",
			"peer":  "a veth's peer: its name, or a dict of its fields",
			"data":  "kind-specific fields (info_data), as a dict",
			"netns": "move the interface into this named network namespace",
		},
		ArgOf:   map[string]string{"ifindex": "dev", "linkinfo": "kind", "net_ns_fd": "netns"},
		Prepare: prepareLink,
	}
}

func prepareLink(c *bindings.Call, f schema.Fields) error {
	if err := resolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	for _, name := range []string{"master", "link"} {
		if _, isName := f[name].(string); isName {
			if err := resolveDev(c, f, name, name); err != nil {
				return err
			}
		}
	}
	if up, ok := f["up"]; ok {
		delete(f, "up")
		on, isBool := up.(bool)
		if !isBool {
			return fmt.Errorf("%s: up: want a bool, got %T", c.Fn, up)
		}
		if c.Filter {
			return fmt.Errorf("%s: up: not a filter; use operstate=\"UP\" or check \"UP\" in l.flags", c.Fn)
		}
		f["change"] = []string{"UP"}
		if on {
			f["flags"] = []string{"UP"}
		} else {
			f["flags"] = []string{}
		}
	}
	kind, hasKind := f["kind"]
	data, hasData := f["data"]
	peer, hasPeer := f["peer"]
	delete(f, "kind")
	delete(f, "data")
	delete(f, "peer")
	if hasKind || hasData || hasPeer {
		if c.Filter {
			return fmt.Errorf("%s: kind, data and peer are not filters", c.Fn)
		}
		info, _ := f["linkinfo"].(schema.Fields)
		if info == nil {
			info = schema.Fields{}
		}
		if hasKind {
			info["info_kind"] = kind
		}
		d, _ := data.(schema.Fields)
		if hasData && d == nil {
			return fmt.Errorf("%s: data: want a dict of %s fields, got %T", c.Fn, kind, data)
		}
		if hasPeer {
			if d == nil {
				d = schema.Fields{}
			}
			switch p := peer.(type) {
			case string:
				d["peer"] = schema.Fields{"ifname": p}
			case schema.Fields:
				d["peer"] = p
			default:
				return fmt.Errorf("%s: peer: want a name or a dict, got %T", c.Fn, peer)
			}
		}
		if d != nil {
			info["info_data"] = d
		}
		f["linkinfo"] = info
	}
	if ns, ok := f["netns"]; ok {
		delete(f, "netns")
		name, isStr := ns.(string)
		if !isStr {
			return fmt.Errorf("%s: netns: want a namespace name, got %T", c.Fn, ns)
		}
		file, err := openNetNS(name)
		if err != nil {
			return fmt.Errorf("%s: netns: %w", c.Fn, err)
		}
		c.Defer(func() { file.Close() })
		f["net_ns_fd"] = int64(file.Fd())
	}
	return nil
}

func addrSpec() *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip.addr", Family: route.Family, Object: route.Addr,
		Doc: "IPv4 and IPv6 addresses: list, add, replace, delete",
		Positional: map[string][]string{
			"add": {"local"}, "replace": {"local"}, "change": {"local"}, "set": {"local"}, "delete": {"local"},
		},
		Args: map[string]string{
			"dev":           "the interface, by name or index",
			"peer":          "the peer of a point-to-point address, as a prefix",
			"valid_lft":     "valid lifetime in seconds, or \"forever\"",
			"preferred_lft": "preferred lifetime in seconds, or \"forever\"",
		},
		ArgOf:   map[string]string{"ifindex": "dev", "cacheinfo": "valid_lft"},
		Prepare: prepareAddr,
	}
}

func prepareAddr(c *bindings.Call, f schema.Fields) error {
	if err := resolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	if c.Filter {
		if s, ok := f["local"].(string); ok && strings.Contains(s, "/") {
			return prefixArg(f, "local", "local", "prefixlen")
		}
		return nil
	}
	if p, ok := f["peer"]; ok {
		// A point-to-point address takes its length from the peer.
		delete(f, "peer")
		f["address"] = p
		if err := prefixArg(f, "address", "address", "prefixlen"); err != nil {
			return fmt.Errorf("%s: peer: %w", c.Fn, err)
		}
		if s, isStr := f["local"].(string); isStr {
			f["local"], _, _ = strings.Cut(s, "/")
		}
	}
	if err := prefixArg(f, "local", "local", "prefixlen"); err != nil {
		return fmt.Errorf("%s: %w", c.Fn, err)
	}
	if local, ok := f["local"]; ok {
		if _, given := f["address"]; !given {
			f["address"] = local
		}
	}
	lft := schema.Fields{}
	for arg, field := range map[string]string{"valid_lft": "valid_life_time", "preferred_lft": "preferred_life_time"} {
		v, ok := f[arg]
		if !ok {
			continue
		}
		delete(f, arg)
		if s, isStr := v.(string); isStr {
			if s != "forever" {
				return fmt.Errorf("%s: %s: want seconds or \"forever\", got %q", c.Fn, arg, s)
			}
			v = int64(0xffffffff)
		}
		lft[field] = v
	}
	if len(lft) > 0 {
		if _, ok := lft["valid_life_time"]; !ok {
			lft["valid_life_time"] = int64(0xffffffff)
		}
		if _, ok := lft["preferred_life_time"]; !ok {
			lft["preferred_life_time"] = lft["valid_life_time"]
		}
		f["cacheinfo"] = lft
	}
	return nil
}

func routeSpec() *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip.route", Family: route.Family, Object: route.Route,
		Doc: "routes of every table: list, get (a lookup, as ip route get), add, change, replace, append, delete",
		Positional: map[string][]string{
			"get": {"dst"}, "add": {"dst"}, "change": {"dst"}, "set": {"dst"}, "replace": {"dst"},
			"append": {"dst"}, "delete": {"dst"},
		},
		Args: map[string]string{
			"dev": "the output interface, by name or index",
		},
		ArgOf:   map[string]string{"oif": "dev"},
		Prepare: prepareRoute,
	}
}

func prepareRoute(c *bindings.Call, f schema.Fields) error {
	if err := resolveDev(c, f, "dev", "oif"); err != nil {
		return err
	}
	if iif, isName := f["iif"].(string); isName {
		f["iif"] = iif
		if err := resolveDev(c, f, "iif", "iif"); err != nil {
			return err
		}
	}
	if hops, ok := f["nexthops"].([]any); ok {
		for i, h := range hops {
			hop, isFields := h.(schema.Fields)
			if !isFields {
				return fmt.Errorf("%s: nexthops[%d]: want a dict, got %T", c.Fn, i, h)
			}
			if err := resolveDev(c, hop, "dev", "ifindex"); err != nil {
				return err
			}
		}
	}
	if c.Op == objects.Delete {
		// As ip does: a delete matches any scope unless one is given.
		if _, ok := f["scope"]; !ok {
			f["scope"] = "nowhere"
		}
	}
	if c.Op != 0 && !c.Filter {
		// As ip does: a new route is static, of type unicast, with the
		// scope its gateway implies, unless told otherwise.
		if _, ok := f["protocol"]; !ok && c.Op.Mutating() && c.Op.String() != "delete" {
			f["protocol"] = "boot"
		}
		if _, ok := f["type"]; !ok {
			f["type"] = "unicast"
		}
		if _, ok := f["scope"]; !ok && c.Op.String() != "delete" {
			f["scope"] = routeScope(f)
		}
		if _, ok := f["table"]; !ok {
			f["table"] = int64(unix.RT_TABLE_MAIN)
		}
		if _, ok := f["dst"]; !ok {
			f["dst"] = "default"
		}
	}
	return nil
}

// routeScope is the scope ip gives a new route: link for a directly
// connected unicast route, host for local ones, else universe.
func routeScope(f schema.Fields) string {
	switch f["type"] {
	case "local", "nat":
		return "host"
	case "broadcast", "multicast", "anycast":
		return "link"
	case "unicast", nil:
		if _, gw := f["gateway"]; gw {
			return "global"
		}
		if _, via := f["via"]; via {
			return "global"
		}
		if _, hops := f["nexthops"]; hops {
			return "global"
		}
		if _, nh := f["nhid"]; nh {
			return "global"
		}
		if _, oif := f["oif"]; oif {
			return "link"
		}
	}
	return "global"
}

func neighSpec() *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip.neigh", Family: route.Family, Object: route.Neigh,
		Doc: "neighbour (ARP, NDP) entries, proxy entries and bridge fdb entries: list, get, add, replace, delete",
		Positional: map[string][]string{
			"get": {"dst"}, "add": {"dst"}, "change": {"dst"}, "set": {"dst"}, "replace": {"dst"}, "delete": {"dst"},
		},
		Args: map[string]string{
			"dev":   "the interface, by name or index",
			"proxy": "True for a proxy entry",
		},
		ArgOf:   map[string]string{"ifindex": "dev"},
		Prepare: prepareNeigh,
	}
}

func prepareNeigh(c *bindings.Call, f schema.Fields) error {
	if err := resolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	if p, ok := f["proxy"]; ok {
		delete(f, "proxy")
		if on, _ := p.(bool); on {
			f["flags"] = []string{"proxy"}
		}
	}
	if c.Op != 0 && c.Op != objects.Delete {
		if _, ok := f["state"]; !ok {
			if _, proxy := f["flags"]; !proxy {
				f["state"] = "PERMANENT"
			}
		}
	}
	return nil
}

func ruleSpec() *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip.rule", Family: route.Family, Object: route.Rule,
		Doc: "policy routing rules, IPv4 and IPv6: list, add, delete",
		Prepare: func(c *bindings.Call, f schema.Fields) error {
			// As ip rule does, a rule with no address is an IPv4 rule.
			_, fam := f["family"]
			_, src := f["src"]
			_, dst := f["dst"]
			if !c.Filter && !fam && !src && !dst {
				f["family"] = int64(unix.AF_INET)
			}
			if !c.Filter && c.Op != 0 && c.Op != objects.Delete {
				if _, ok := f["action"]; !ok {
					f["action"] = "to_tbl"
				}
				if _, ok := f["table"]; !ok {
					if f["action"] == "to_tbl" {
						f["table"] = int64(unix.RT_TABLE_MAIN)
					}
				}
			}
			return nil
		},
	}
}

func nexthopSpec() *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip.nexthop", Family: route.Family, Object: route.Nexthop,
		Doc:        "nexthop objects and groups: list, get, add, replace, delete",
		Positional: map[string][]string{"get": {"id"}, "delete": {"id"}},
		Args:       map[string]string{"dev": "the output interface, by name or index"},
		ArgOf:      map[string]string{"oif": "dev"},
		Prepare: func(c *bindings.Call, f schema.Fields) error {
			// A blackhole has no address to take a family from; ip makes
			// it IPv4, and so does the kernel's check.
			if _, fam := f["family"]; !fam && f["blackhole"] == true && c.Op != 0 {
				f["family"] = int64(unix.AF_INET)
			}
			return resolveDev(c, f, "dev", "oif")
		},
	}
}
