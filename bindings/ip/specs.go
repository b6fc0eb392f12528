package ip

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// Specs returns the specs of the ip module's objects, in the order help
// lists them.
func Specs() []*bindings.ObjectSpec {
	return []*bindings.ObjectSpec{
		linkSpec(), addrSpec(), routeSpec(), neighSpec(), ruleSpec(), nexthopSpec(),
		simpleSpec("netconf", route.Netconf, "per-interface IP configuration flags (forwarding, rp_filter, ...)"),
		simpleSpec("nsid", route.NSID, "ids of peer network namespaces"),
		addrlabelSpec(),
		simpleSpec("ntable", route.NTable, "neighbour table parameters and statistics"),
	}
}

func addrlabelSpec() *bindings.ObjectSpec {
	spec := simpleSpec("addrlabel", route.AddrLabel, "IPv6 address labels (RFC 6724): list, get, add, delete")
	prepare := spec.Prepare
	spec.Prepare = func(c *bindings.Call, f schema.Fields) error {
		// The kernel keeps labels for IPv6 only.
		if _, ok := f["family"]; !ok {
			f["family"] = int64(unix.AF_INET6)
		}
		// A prefix is given as text, as ip addrlabel takes it.
		if s, ok := f["address"].(string); ok && strings.Contains(s, "/") {
			if err := prefixArg(f, "address", "address", "prefixlen"); err != nil {
				return fmt.Errorf("%s: %w", c.Fn, err)
			}
		}
		return prepare(c, f)
	}
	return spec
}

func simpleSpec(name string, obj *schema.Object, doc string) *bindings.ObjectSpec {
	return &bindings.ObjectSpec{
		Module: "ip." + name, Family: route.Family, Object: obj, Doc: doc,
		Args:    map[string]string{"dev": "interface, by name or index"},
		ArgOf:   map[string]string{"ifindex": "dev"},
		Prepare: devTo("ifindex"),
	}
}

// ResolveDev replaces f[arg], a device name or index, with its index in
// f[field]; other families' modules use it for their dev= arguments.
func ResolveDev(c *bindings.Call, f schema.Fields, arg, field string) error {
	return resolveDev(c, f, arg, field)
}

// devTo returns a Prepare that turns dev=NAME|INDEX into the index field
// field.
func devTo(field string) func(c *bindings.Call, f schema.Fields) error {
	return func(c *bindings.Call, f schema.Fields) error { return resolveDev(c, f, "dev", field) }
}

// resolveDev replaces f[arg], a device name or index, with its index in
// f[field].
func resolveDev(c *bindings.Call, f schema.Fields, arg, field string) error {
	v, ok := f[arg]
	if !ok {
		return nil
	}
	delete(f, arg)
	idx, err := ifindex(c, v)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", c.Fn, arg, err)
	}
	f[field] = idx
	return nil
}

// ifindex returns the index of a device given by name or index.
func ifindex(c *bindings.Call, v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		if x <= 0 {
			return 0, fmt.Errorf("interface index %d is not positive", x)
		}
		return x, nil
	case string:
		if idx, ok := c.Memo["ifindex "+x].(int64); ok {
			return idx, nil
		}
		client, err := c.Client(routeFamily)
		if err != nil {
			return 0, err
		}
		v, err := client.Get(bindings.Context(c.Thread), route.Link, schema.Fields{"ifname": x})
		if errors.Is(err, unix.ENODEV) {
			return 0, fmt.Errorf("%w %q", unix.ENODEV, x)
		}
		if err != nil {
			return 0, err
		}
		idx, ok, _ := v.Get("ifindex")
		if i, isInt := idx.(int64); ok && isInt {
			if c.Memo != nil {
				c.Memo["ifindex "+x] = i
			}
			return i, nil
		}
		if u, isUint := idx.(uint64); ok && isUint {
			return int64(u), nil
		}
		return 0, fmt.Errorf("%w %q", unix.ENODEV, x)
	}
	return 0, fmt.Errorf("want an interface name or index, got %T", v)
}

// routeFamily is the spec that ifindex look-ups go through.
var routeFamily = &bindings.ObjectSpec{Module: "ip.link", Family: route.Family, Object: route.Link}

// prefixArg splits f[arg], "10.0.0.1/24", into the address in f[addr] and
// the length in f[lenField]. A bare address gets the full length.
func prefixArg(f schema.Fields, arg, addr, lenField string) error {
	s, ok := f[arg].(string)
	if !ok {
		return nil
	}
	ip, bits := s, -1
	if a, l, found := strings.Cut(s, "/"); found {
		ip = a
		if _, err := fmt.Sscanf(l, "%d", &bits); err != nil {
			return fmt.Errorf("%s: %q is not a prefix", arg, s)
		}
	}
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return fmt.Errorf("%s: %q is not an IP address or prefix", arg, s)
	}
	if bits < 0 {
		bits = a.BitLen()
	}
	if bits > a.BitLen() {
		return fmt.Errorf("%s: prefix length %d is too long for %v", arg, bits, a)
	}
	delete(f, arg)
	f[addr] = a.String()
	if _, given := f[lenField]; !given {
		f[lenField] = int64(bits)
	}
	return nil
}

// openNetNS opens a named namespace for a request that moves something
// into it; the caller closes the file once the request is sent.
func openNetNS(name string) (*os.File, error) {
	f, err := os.Open(netlink.NetNSPath(name))
	if err != nil {
		return nil, fmt.Errorf("network namespace %q: %w", name, err)
	}
	return f, nil
}
