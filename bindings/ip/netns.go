package ip

import (
	"errors"
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/netlink"
)

// netnsModule is ip.netns: named network namespaces, as `ip netns` manages
// them. Handles to act inside one come from the predeclared netns(NAME).
func netnsModule(sess *bindings.Session) *starlarkstruct.Module {
	nameArg := func(b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple, extra ...any) (string, error) {
		var name string
		pairs := append([]any{"name", &name}, extra...)
		if err := starlark.UnpackArgs(b.Name(), args, kw, pairs...); err != nil {
			return "", err
		}
		return name, nil
	}
	return &starlarkstruct.Module{Name: "ip.netns", Members: starlark.StringDict{
		"list": bindings.NewFunction("ip.netns.list", "ip.netns.list()\nReturns the names of the named network namespaces (/run/netns).", nil, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackArgs(b.Name(), args, kw); err != nil {
				return nil, err
			}
			names, err := netlink.ListNetNS()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", b.Name(), err)
			}
			elems := make([]starlark.Value, len(names))
			for i, n := range names {
				elems[i] = starlark.String(n)
			}
			return starlark.NewList(elems), nil
		}),
		"add": bindings.NewFunction("ip.netns.add", "ip.netns.add(name, exist_ok=False)\nCreates a named network namespace, as ip netns add does.", []string{"name", "exist_ok"}, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			existOK := false
			name, err := nameArg(b, args, kw, "exist_ok?", &existOK)
			if err != nil {
				return nil, err
			}
			if send, err := sess.Permit(b.Name(), func() string { return "netns add " + name }); !send {
				return starlark.None, err
			}
			err = netlink.CreateNetNS(name)
			if existOK && errors.Is(err, unix.EEXIST) {
				err = nil
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", b.Name(), err)
			}
			return starlark.None, nil
		}),
		"delete": bindings.NewFunction("ip.netns.delete", "ip.netns.delete(name, missing_ok=False)\nDeletes a named network namespace, as ip netns delete does.", []string{"name", "missing_ok"}, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			missingOK := false
			name, err := nameArg(b, args, kw, "missing_ok?", &missingOK)
			if err != nil {
				return nil, err
			}
			if send, err := sess.Permit(b.Name(), func() string { return "netns delete " + name }); !send {
				return starlark.None, err
			}
			err = netlink.DeleteNetNS(name)
			if missingOK && errors.Is(err, unix.ENOENT) {
				err = nil
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", b.Name(), err)
			}
			return starlark.None, nil
		}),
	}}
}
