package genl

import (
	"bytes"
	"fmt"
	"slices"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

const monitorRules = `Returns an iterable of events, each a genl.event with action (the
notification's name, "cmd<N>" when no schema names it, or "lost"), family
and value: the typed object when a module scripts the family, else a
genl.message; None for "lost". "lost" means the kernel dropped
notifications (ENOBUFS): re-read the state. The subscription starts at the
call; the loop ends after count events, or when timeout seconds pass
without one; breaking out of it closes the subscription.`

// monitor is genl.monitor(family, groups=None, timeout=None, count=0).
func monitor(sess *bindings.Session) *bindings.Function {
	const name = "genl.monitor"
	doc := name + `(family, groups=None, timeout=None, count=0)
Subscribes to the multicast groups of the generic family named family
(a group name, a list of them, or None for all of the family's groups).
` + monitorRules
	return bindings.NewFunction(name, doc, []string{"family", "groups", "timeout", "count"},
		func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var (
				family  string
				groups  starlark.Value = starlark.None
				timeout starlark.Value = starlark.None
				count   int
			)
			if err := starlark.UnpackArgs(name, args, kw, "family", &family, "groups?", &groups, "timeout?", &timeout, "count?", &count); err != nil {
				return nil, err
			}
			return subscribe(th, sess, name, family, groups, timeout, count)
		})
}

// familyMonitor is <module>.monitor(groups=None, timeout=None, count=0),
// genl.monitor for one scripted family.
func familyMonitor(sess *bindings.Session, module string, spec *genl.FamilySpec) *bindings.Function {
	name := module + ".monitor"
	doc := fmt.Sprintf(`%s(groups=None, timeout=None, count=0)
Subscribes to the %s family's multicast groups %q (None: all of them).
`, name, spec.Name, spec.Groups) + monitorRules
	return bindings.NewFunction(name, doc, []string{"groups", "timeout", "count"},
		func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var (
				groups  starlark.Value = starlark.None
				timeout starlark.Value = starlark.None
				count   int
			)
			if err := starlark.UnpackArgs(name, args, kw, "groups?", &groups, "timeout?", &timeout, "count?", &count); err != nil {
				return nil, err
			}
			return subscribe(th, sess, name, spec.Name, groups, timeout, count)
		})
}

// subscribe joins the family's groups and returns the event stream.
func subscribe(th *starlark.Thread, sess *bindings.Session, fn, family string, groups, timeout starlark.Value, count int) (starlark.Value, error) {
	wait, count, err := bindings.MonitorLimits(fn, timeout, count)
	if err != nil {
		return nil, err
	}
	_, fam, err := resolve(th, sess, fn, family, "family")
	if err != nil {
		return nil, err
	}
	ctx := bindings.Context(th)
	ids, err := groupIDs(fn, fam, groups)
	if err != nil {
		return nil, err
	}
	scripted, hasSchema := sess.Family(family)
	decode := func(m packet.Message) (starlark.Value, bool) {
		if m.Header.Type != fam.ID {
			return nil, false
		}
		cmd, _, ok := genl.HeaderOf(m.Data)
		if !ok {
			return nil, false
		}
		data := bytes.Clone(m.Data)
		if hasSchema {
			if ev := scripted.Spec.Event(cmd); ev != nil {
				if scripted.Rewrite != nil {
					// A payload that cannot be rewritten still reads, less
					// well (ethtool's bits by number).
					if b, err := scripted.Rewrite(ctx, ev, data); err == nil {
						data = b
					}
				}
				v, err := schema.Decode(ev.Message, data)
				if err != nil {
					return nil, false
				}
				return event(ev.Name, family, object.New(scripted.Module+"."+ev.Message.Name, v)), true
			}
		}
		raw, err := NewMessage(data)
		if err != nil {
			return nil, false
		}
		return event(fmt.Sprintf("cmd%d", cmd), family, raw), true
	}
	return bindings.NewEvents(th, sess, fn, bindings.EventConfig{
		Proto: unix.NETLINK_GENERIC, Groups: ids, Timeout: wait, Count: count,
		Decode: decode, Lost: event("lost", family, starlark.None),
	})
}

// groupIDs resolves the groups a script names: one name, a list of names,
// or None for all of the family's groups.
func groupIDs(fn string, fam *genetlink.Family, groups starlark.Value) ([]uint32, error) {
	var have []string
	for _, g := range fam.Groups {
		have = append(have, g.Name)
	}
	if len(have) == 0 {
		return nil, fmt.Errorf("%s: family %q has no multicast groups", fn, fam.Name)
	}
	var names []string
	switch g := groups.(type) {
	case starlark.NoneType:
		names = have
	case starlark.String:
		names = []string{string(g)}
	case *starlark.List, starlark.Tuple:
		it := starlark.Iterate(g)
		defer it.Done()
		var x starlark.Value
		for it.Next(&x) {
			s, ok := starlark.AsString(x)
			if !ok {
				return nil, fmt.Errorf("%s: groups: want group names, got %s", fn, x.Type())
			}
			names = append(names, s)
		}
	default:
		return nil, fmt.Errorf("%s: groups: want a group name or a list of them, got %s", fn, groups.Type())
	}
	var ids []uint32
	for _, n := range names {
		id, ok := fam.Group(n)
		if !ok {
			msg := fmt.Sprintf("%s: groups: family %q has no group %q; it has %q", fn, fam.Name, n, have)
			if s := schema.Suggest(n, have); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, fmt.Errorf("%s", msg)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func event(action, family string, value starlark.Value) starlark.Value {
	return starlarkstruct.FromStringDict(starlark.String("genl.event"), starlark.StringDict{
		"action": starlark.String(action),
		"family": starlark.String(family),
		"value":  value,
	})
}
