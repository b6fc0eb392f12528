package ip

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// monitor is ip.monitor("link", "addr", ..., timeout=SECONDS, count=N): an
// iterable of events, each with action ("new", "del" or "lost"), object
// (its kind) and value (the typed object, None for "lost"). Lost events
// (the socket overflowed, ENOBUFS) are reported as events of their own.
// Iteration ends after count events or when timeout passes without one;
// breaking out of the loop closes the subscription.
func monitor(th *starlark.Thread, sess *bindings.Session, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var timeout starlark.Value = starlark.None
	count := 0
	if err := starlark.UnpackArgs(b.Name(), nil, kw, "timeout?", &timeout, "count?", &count); err != nil {
		return nil, err
	}
	wait, count, err := bindings.MonitorLimits(b.Name(), timeout, count)
	if err != nil {
		return nil, err
	}
	var objs []*bindings.ObjectSpec
	specs := Specs()
	var names []string
	for _, s := range specs {
		if len(s.Object.Groups) > 0 {
			names = append(names, s.Module[len("ip."):])
		}
	}
	sort.Strings(names)
	for i, a := range args {
		name, ok := starlark.AsString(a)
		if !ok {
			return nil, fmt.Errorf("%s: argument %d: want an object name, got %s", b.Name(), i+1, a.Type())
		}
		found := false
		for _, s := range specs {
			if s.Module == "ip."+name && len(s.Object.Groups) > 0 {
				objs = append(objs, s)
				found = true
			}
		}
		if !found {
			msg := fmt.Sprintf("%s: %q has no events; choose from %v", b.Name(), name, names)
			if s := schema.Suggest(name, names); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, errors.New(msg)
		}
	}
	if len(objs) == 0 {
		for _, s := range specs {
			if len(s.Object.Groups) > 0 {
				objs = append(objs, s)
			}
		}
	}
	var groups []uint32
	for _, s := range objs {
		for _, g := range s.Object.Groups {
			if !slices.Contains(groups, g) {
				groups = append(groups, g)
			}
		}
	}
	decode := func(m packet.Message) (starlark.Value, bool) {
		obj, action := route.Family.ByType(m.Header.Type)
		for _, s := range objs {
			if s.Object != obj {
				continue
			}
			v, err := schema.Decode(obj.Message, append([]byte(nil), m.Data...))
			if err != nil {
				return nil, false
			}
			return event(action.String(), obj.Name(), object.New(s.Module, v)), true
		}
		return nil, false
	}
	return bindings.NewEvents(th, sess, "ip.monitor", bindings.EventConfig{
		Proto: route.Family.Protocol, Groups: groups, Timeout: wait, Count: count,
		Decode: decode, Lost: event("lost", "", starlark.None),
	})
}

func event(action, kind string, value starlark.Value) starlark.Value {
	obj := starlark.Value(starlark.None)
	if kind != "" {
		obj = starlark.String(kind)
	}
	return starlarkstruct.FromStringDict(starlark.String("ip.event"), starlark.StringDict{
		"action": starlark.String(action),
		"object": obj,
		"value":  value,
	})
}
