package objects_test

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

func dial(t *testing.T, ns *nstest.NS) *objects.Client {
	t.Helper()
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return objects.New(c, route.Family)
}

func ifindex(t *testing.T, ns *nstest.NS, name string) int {
	t.Helper()
	out := ns.Run("cat", "/sys/class/net/"+name+"/ifindex")
	n, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAddrLifecycle(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	c := dial(t, ns)
	ctx := context.Background()
	idx := ifindex(t, ns, "v0")
	addr := schema.Fields{"family": unix.AF_INET, "local": "10.7.0.1", "address": "10.7.0.1", "prefixlen": 24, "ifindex": idx, "label": "v0:x"}

	if err := c.Do(ctx, route.Addr, objects.Add, addr); err != nil {
		t.Fatalf("add: %v", err)
	}
	err := c.Do(ctx, route.Addr, objects.Add, addr)
	var pe *packet.Error
	if !errors.As(err, &pe) || !errors.Is(err, unix.EEXIST) || pe.Op != "RTM_NEWADDR" {
		t.Fatalf("second add: got %v, want EEXIST from RTM_NEWADDR", err)
	}

	tests := []struct {
		name   string
		filter schema.Fields
		want   int
	}{
		{"all of v0, inet", schema.Fields{"ifindex": idx, "family": "inet"}, 1},
		{"by family number", schema.Fields{"ifindex": idx, "family": unix.AF_INET}, 1},
		{"by label", schema.Fields{"label": "v0:x"}, 1},
		{"by local", schema.Fields{"local": "10.7.0.1"}, 1},
		{"no match", schema.Fields{"local": "10.7.0.2"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.List(ctx, route.Addr, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Fatalf("got %d addresses, want %d", len(got), tt.want)
			}
			if tt.want == 1 {
				a := route.AddrOf(got[0])
				if a.Local() != netip.MustParsePrefix("10.7.0.1/24") || a.Index() != idx || a.Label() != "v0:x" {
					t.Errorf("got %v on %d label %q", a.Local(), a.Index(), a.Label())
				}
			}
		})
	}

	if _, err := c.List(ctx, route.Addr, schema.Fields{"lable": "x"}); err == nil || !strings.Contains(err.Error(), `did you mean "label"`) {
		t.Errorf("misspelt filter: got %v, want a did-you-mean", err)
	}

	if err := c.Do(ctx, route.Addr, objects.Delete, addr); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if out := ns.Run("ip", "-j", "addr", "show", "dev", "v0"); strings.Contains(out, "10.7.0.1") {
		t.Errorf("address still there after delete: %s", out)
	}
}

func TestExplainNamesAttribute(t *testing.T) {
	ns := nstest.New(t)
	c := dial(t, ns)
	// IFA_CACHEINFO with a preferred lifetime above the valid one.
	err := c.Do(context.Background(), route.Addr, objects.Add, schema.Fields{
		"family": unix.AF_INET, "local": "10.8.0.1", "prefixlen": 24, "ifindex": 1,
		"cacheinfo": schema.Fields{"preferred_life_time": 100, "valid_life_time": 10},
	})
	var pe *packet.Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a kernel error", err)
	}
	if pe.Op != "RTM_NEWADDR" || pe.Errno != unix.EINVAL {
		t.Errorf("got op %q errno %v", pe.Op, pe.Errno)
	}
	if pe.Message != "ipv4: address lifetime invalid" {
		t.Errorf("extended ACK message: got %q", pe.Message)
	}

	// A three-byte IFA_LOCAL fails policy validation; the kernel points at
	// it and Explain names it.
	err = c.Do(context.Background(), route.Addr, objects.Add, schema.Fields{
		"family": unix.AF_INET, "prefixlen": 24, "ifindex": 1, "attr2": []byte{10, 9, 0},
	})
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a kernel error", err)
	}
	if pe.AttrName != "local" || !pe.HasOffset {
		t.Errorf("got attribute %q (offset %v): %v", pe.AttrName, pe.HasOffset, err)
	}
	t.Log(err)
}

func TestUnsupported(t *testing.T) {
	if _, _, err := objects.MessageType(route.Addr, objects.Set); err != nil {
		t.Errorf("addr set falls back to change: %v", err)
	}
	if _, _, err := objects.MessageType(&schema.Object{Message: route.AddrMessage}, objects.Delete); !errors.Is(err, objects.ErrUnsupported) {
		t.Errorf("got %v, want ErrUnsupported", err)
	}
}
