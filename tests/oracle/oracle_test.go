// Package oracle compares what nlsh decodes with what iproute2 prints, field
// by field, in private network namespaces. iproute2 is the oracle: where
// `ip -j` prints a field, ours must say the same.
package oracle

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// dump lists every object of obj in the namespace, with the dump request's
// header filled from hdr (e.g. {"family": unix.AF_INET}). Each View owns a
// copy of its message.
func dump(t *testing.T, ns *nstest.NS, obj *schema.Object, hdr schema.Fields) []*schema.View {
	t.Helper()
	return dumpFamily(t, ns, route.Family, obj, hdr)
}

// dumpFamily is dump for an object of any family of the route protocol.
func dumpFamily(t *testing.T, ns *nstest.NS, fam *schema.Family, obj *schema.Object, hdr schema.Fields) []*schema.View {
	t.Helper()
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e packet.Encoder
	if err := obj.Message.Encode(&e, obj.Get, unix.NLM_F_DUMP, hdr); err != nil {
		t.Fatalf("encode %s dump: %v", obj.Name(), err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var views []*schema.View
	for m, err := range c.Dump(ctx, e.Bytes()) {
		if err != nil {
			t.Fatalf("dump %s: %v", obj.Name(), err)
		}
		if o, _ := fam.ByType(m.Header.Type); o != obj {
			continue
		}
		v, err := schema.Decode(obj.Message, append([]byte(nil), m.Data...))
		if err != nil {
			t.Fatalf("decode %s: %v", obj.Name(), err)
		}
		if err := v.Err(); err != nil {
			t.Errorf("decode %s: %v", obj.Name(), err)
		}
		views = append(views, v)
	}
	return views
}

// ipJSON runs iproute2 with -j inside the namespace and returns the parsed
// array of objects.
func ipJSON(t *testing.T, ns *nstest.NS, tool string, args ...string) []map[string]any {
	t.Helper()
	out := ns.Run(tool, append([]string{"-j"}, args...)...)
	var objs []map[string]any
	if strings.TrimSpace(out) == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(out), &objs); err != nil {
		t.Fatalf("%s -j %s: %v\n%s", tool, strings.Join(args, " "), err, out)
	}
	return objs
}

// jsonValue turns one of our decoded values into what encoding/json would
// make of its JSON form, so it compares directly with iproute2's.
func jsonValue(v any) any {
	var out any
	if err := json.Unmarshal(schema.AppendJSON(nil, v), &out); err != nil {
		return fmt.Sprintf("unencodable %T", v)
	}
	return out
}

// ourField reads a field of v as JSON would show it; ok is false when
// absent.
func ourField(v *schema.View, name string) (any, bool) {
	val, ok, err := v.Get(name)
	if err != nil || !ok {
		return nil, false
	}
	return jsonValue(val), true
}

// checkField compares one field and reports a mismatch naming the object
// and the field. want is iproute2's value as encoding/json parsed it.
func checkField(t *testing.T, object, field string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: field %s: nlsh says %#v, iproute2 says %#v", object, field, got, want)
	}
}

// compareFields checks every field iproute2 printed against the field of
// the same name in v, except the ones in skip (fields that ip derives from
// something else, checked by the caller) and renamed ones, whose
// nlsh name is given by rename.
func compareFields(t *testing.T, object string, v *schema.View, theirs map[string]any, rename map[string]string, skip ...string) {
	t.Helper()
	skipped := map[string]bool{}
	for _, s := range skip {
		skipped[s] = true
	}
	for name, want := range theirs {
		if skipped[name] {
			continue
		}
		ours := name
		if r, ok := rename[name]; ok {
			ours = r
		}
		got, ok := ourField(v, ours)
		if !ok {
			t.Errorf("%s: field %s: iproute2 prints %#v, nlsh has no such field", object, name, want)
			continue
		}
		checkField(t, object, name, got, want)
	}
}

// genlClient is a generic netlink client on a socket of its own in ns,
// closed when the test ends: for any family's oracle.
func genlClient(t *testing.T, ns *nstest.NS) *genetlink.Client {
	t.Helper()
	c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return genetlink.NewClient(c, nil)
}
