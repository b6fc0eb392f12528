package starlark

import (
	"fmt"
	"net/netip"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/internal/nstest"
)

// testNSModule is the testns module scripts get: what a script cannot do
// with netlink alone, done to its namespace from outside.
//
//	testns.run("ethtool", "-K", "e0", "gro", "on")  # its output, or an error
//	testns.tcp_exchange("127.0.0.1")               # leaves TCP metrics behind
//	testns.tcp_exchange("127.0.0.2", fast_open = True)
//	c = testns.tcp_exchange("127.0.0.1", mptcp = True)  # a Multipath TCP connection
//	print(c.client.addr, c.client.port, c.server.addr, c.server.port)
//	testns.tcp_exchange("127.0.0.1", mptcp = True, subflows = 1)  # waits for a joined subflow
//	c = testns.mptcp_connection("127.0.0.1")  # an MPTCP connection held open
//	i = c.info("client")  # MPTCP_INFO of an end: token, subflows, add_addr_signal, add_addr_accepted
//	c.close()
func testNSModule(ns *nstest.NS) *starlarkstruct.Module {
	run := starlark.NewBuiltin("testns.run", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		if len(kw) > 0 || len(args) == 0 {
			return nil, errorf(b, "want a command and its arguments, positionally")
		}
		argv := make([]string, len(args))
		for i, a := range args {
			s, ok := starlark.AsString(a)
			if !ok {
				return nil, errorf(b, "argument %d is a %s, not a string", i, a.Type())
			}
			argv[i] = s
		}
		out, err := ns.Try(argv[0], argv[1:]...)
		if err != nil {
			return nil, errorf(b, "%s: %v", strings.Join(argv, " "), err)
		}
		return starlark.String(out), nil
	})
	tcp := starlark.NewBuiltin("testns.tcp_exchange", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		var dst string
		var fastOpen, mptcp bool
		var subflows int
		if err := starlark.UnpackArgs(b.Name(), args, kw, "dst", &dst, "fast_open?", &fastOpen, "mptcp?", &mptcp, "subflows?", &subflows); err != nil {
			return nil, err
		}
		c, err := ns.TryTCPExchange(dst, nstest.TCPOptions{FastOpen: fastOpen, MPTCP: mptcp, Subflows: subflows})
		if err != nil {
			return nil, errorf(b, "%v", err)
		}
		return starlarkstruct.FromStringDict(starlark.String("testns.conn"), starlark.StringDict{
			"client": endpoint(c.Client), "server": endpoint(c.Server),
		}), nil
	})
	held := starlark.NewBuiltin("testns.mptcp_connection", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		var dst string
		if err := starlark.UnpackArgs(b.Name(), args, kw, "dst", &dst); err != nil {
			return nil, err
		}
		c, err := ns.HoldTCP(dst, nstest.TCPOptions{MPTCP: true})
		if err != nil {
			return nil, errorf(b, "%v", err)
		}
		return heldConn(c), nil
	})
	return &starlarkstruct.Module{Name: "testns", Members: starlark.StringDict{"run": run, "tcp_exchange": tcp, "mptcp_connection": held}}
}

// heldConn is a connection testns.mptcp_connection holds open, as a
// script reads it: its ends, info(end), which reads MPTCP_INFO of the
// "client" or "server" end, and close().
func heldConn(c *nstest.HeldConn) starlark.Value {
	info := starlark.NewBuiltin("testns.connection.info", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		var end string
		if err := starlark.UnpackArgs(b.Name(), args, kw, "end", &end); err != nil {
			return nil, err
		}
		if end != "client" && end != "server" {
			return nil, errorf(b, "end is \"client\" or \"server\", not %q", end)
		}
		i, err := c.Info(end == "server")
		if err != nil {
			return nil, errorf(b, "%v", err)
		}
		return starlarkstruct.FromStringDict(starlark.String("testns.mptcp_info"), starlark.StringDict{
			"token": starlark.MakeUint64(uint64(i.Token)), "subflows": starlark.MakeInt(int(i.Subflows)),
			"add_addr_signal": starlark.MakeInt(int(i.AddAddrSignal)), "add_addr_accepted": starlark.MakeInt(int(i.AddAddrAccepted)),
		}), nil
	})
	closeFn := starlark.NewBuiltin("testns.connection.close", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		if err := starlark.UnpackArgs(b.Name(), args, kw); err != nil {
			return nil, err
		}
		if err := c.Close(); err != nil {
			return nil, errorf(b, "%v", err)
		}
		return starlark.None, nil
	})
	return starlarkstruct.FromStringDict(starlark.String("testns.connection"), starlark.StringDict{
		"client": endpoint(c.Client), "server": endpoint(c.Server), "info": info, "close": closeFn,
	})
}

// endpoint is one end of a connection, as a script reads it: its address
// as a string and its port.
func endpoint(ap netip.AddrPort) starlark.Value {
	return starlarkstruct.FromStringDict(starlark.String("testns.endpoint"), starlark.StringDict{
		"addr": starlark.String(ap.Addr().String()), "port": starlark.MakeInt(int(ap.Port())),
	})
}

// errorf makes an error that names the builtin.
func errorf(b *starlark.Builtin, format string, args ...any) error {
	return fmt.Errorf("%s: %s", b.Name(), fmt.Sprintf(format, args...))
}
