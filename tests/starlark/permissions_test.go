package starlark

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/runtime"
)

// mutatingCalls holds, for every function that can change kernel state,
// a call with arguments that would succeed in the scenario below. A
// function missing here fails the test, so a new one cannot slip by.
var mutatingCalls = map[string]string{
	"ip.link.add":           `ip.link.add(ifname="p0", kind="veth", peer="p1")`,
	"ip.link.set":           `ip.link.set("v0", mtu=1400, up=True)`,
	"ip.link.change":        `ip.link.change("v0", mtu=1300)`,
	"ip.link.replace":       `ip.link.replace("v0", kind="veth")`,
	"ip.link.delete":        `ip.link.delete("v0")`,
	"ip.addr.add":           `ip.addr.add("10.9.0.1/24", dev="v0")`,
	"ip.addr.set":           `ip.addr.set("10.0.0.1/24", dev="v0", valid_lft=100)`,
	"ip.addr.change":        `ip.addr.change("10.0.0.1/24", dev="v0", valid_lft=100)`,
	"ip.addr.replace":       `ip.addr.replace("10.0.0.1/24", dev="v0", valid_lft=100)`,
	"ip.addr.delete":        `ip.addr.delete("10.0.0.1/24", dev="v0")`,
	"ip.route.add":          `ip.route.add("10.8.0.0/16", gateway="10.0.0.2", dev="v0")`,
	"ip.route.set":          `ip.route.set("10.1.0.0/16", gateway="10.0.0.3", dev="v0")`,
	"ip.route.change":       `ip.route.change("10.1.0.0/16", gateway="10.0.0.3", dev="v0")`,
	"ip.route.replace":      `ip.route.replace("10.1.0.0/16", gateway="10.0.0.3", dev="v0")`,
	"ip.route.append":       `ip.route.append("10.1.0.0/16", gateway="10.0.0.4", dev="v0")`,
	"ip.route.delete":       `ip.route.delete("10.1.0.0/16", dev="v0")`,
	"ip.neigh.add":          `ip.neigh.add("10.0.0.9", lladdr="02:00:00:00:00:09", dev="v0")`,
	"ip.neigh.set":          `ip.neigh.set("10.0.0.5", lladdr="02:00:00:00:00:06", dev="v0")`,
	"ip.neigh.change":       `ip.neigh.change("10.0.0.5", lladdr="02:00:00:00:00:06", dev="v0")`,
	"ip.neigh.replace":      `ip.neigh.replace("10.0.0.5", lladdr="02:00:00:00:00:06", dev="v0")`,
	"ip.neigh.delete":       `ip.neigh.delete("10.0.0.5", dev="v0")`,
	"ip.rule.add":           `ip.rule.add(family=4, priority=200, table=100)`,
	"ip.rule.set":           `ip.rule.set(family=4, priority=100, table=101)`,
	"ip.rule.change":        `ip.rule.change(family=4, priority=100, table=101)`,
	"ip.rule.replace":       `ip.rule.replace(family=4, priority=100, table=101)`,
	"ip.rule.delete":        `ip.rule.delete(family=4, priority=100, table=100)`,
	"ip.nexthop.add":        `ip.nexthop.add(id=2, gateway="10.0.0.7", dev="v0")`,
	"ip.nexthop.set":        `ip.nexthop.set(id=1, gateway="10.0.0.8", dev="v0")`,
	"ip.nexthop.change":     `ip.nexthop.change(id=1, gateway="10.0.0.8", dev="v0")`,
	"ip.nexthop.replace":    `ip.nexthop.replace(id=1, gateway="10.0.0.8", dev="v0")`,
	"ip.nexthop.delete":     `ip.nexthop.delete(1)`,
	"ip.netns.add":          `ip.netns.add("nlsh-perm-never")`,
	"ip.netns.delete":       `ip.netns.delete(NETNS)`,
	"ip.batch.commit":       `b = ip.batch(); b.addr.add("10.9.9.1/24", dev="v0"); b.commit()`,
	"ip.addrlabel.add":      `ip.addrlabel.add(address="2001:db8:7::/48", label=7)`,
	"ip.addrlabel.set":      `ip.addrlabel.set(address="2001:db8:1::/48", label=9)`,
	"ip.addrlabel.change":   `ip.addrlabel.change(address="2001:db8:1::/48", label=9)`,
	"ip.addrlabel.replace":  `ip.addrlabel.replace(address="2001:db8:1::/48", label=9)`,
	"ip.addrlabel.delete":   `ip.addrlabel.delete(address="2001:db8:1::/48", label=5)`,
	"ip.ntable.set":         `ip.ntable.set(family=4, name="arp_cache", thresh1=64)`,
	"ip.ntable.change":      `ip.ntable.change(family=4, name="arp_cache", thresh1=64)`,
	"ip.ntable.replace":     `ip.ntable.replace(family=4, name="arp_cache", thresh1=64)`,
	"ip.ntable.add":         `ip.ntable.add(family=4, name="arp_cache", thresh1=64)`,
	"ip.nsid.add":           `ip.nsid.add(nsid=7, fd=0)`,
	"ip.nsid.set":           `ip.nsid.set(nsid=7, fd=0)`,
	"ip.nsid.change":        `ip.nsid.change(nsid=7, fd=0)`,
	"ip.nsid.replace":       `ip.nsid.replace(nsid=7, fd=0)`,
	"ip.nsid.delete":        `ip.nsid.delete(nsid=7)`,
	"tc.qdisc.add":          `tc.qdisc.add(dev="v0", parent="root", handle="1:", kind="pfifo", options={"limit": 10})`,
	"tc.qdisc.set":          `tc.qdisc.set(dev="v0", parent="root", handle="1:", kind="pfifo", options={"limit": 10})`,
	"tc.qdisc.change":       `tc.qdisc.change(dev="v0", parent="root", handle="1:", kind="pfifo", options={"limit": 10})`,
	"tc.qdisc.replace":      `tc.qdisc.replace(dev="v0", parent="root", handle="1:", kind="pfifo", options={"limit": 10})`,
	"tc.qdisc.delete":       `tc.qdisc.delete(dev="v0", parent="root")`,
	"tc.tclass.add":         `tc.tclass.add(dev="v0", parent="1:", handle="1:1", kind="htb")`,
	"tc.tclass.set":         `tc.tclass.set(dev="v0", parent="1:", handle="1:1", kind="htb")`,
	"tc.tclass.change":      `tc.tclass.change(dev="v0", parent="1:", handle="1:1", kind="htb")`,
	"tc.tclass.replace":     `tc.tclass.replace(dev="v0", parent="1:", handle="1:1", kind="htb")`,
	"tc.tclass.delete":      `tc.tclass.delete(dev="v0", parent="1:", handle="1:1")`,
	"tc.filter.add":         `tc.filter.add(dev="v0", parent="root", pref=1, protocol="ip", kind="u32")`,
	"tc.filter.set":         `tc.filter.set(dev="v0", parent="root", pref=1, protocol="ip", kind="u32")`,
	"tc.filter.change":      `tc.filter.change(dev="v0", parent="root", pref=1, protocol="ip", kind="u32")`,
	"tc.filter.replace":     `tc.filter.replace(dev="v0", parent="root", pref=1, protocol="ip", kind="u32")`,
	"tc.filter.delete":      `tc.filter.delete(dev="v0", parent="root", pref=1, protocol="ip")`,
	"tc.chain.add":          `tc.chain.add(dev="v0", parent="root", chain=1)`,
	"tc.chain.set":          `tc.chain.set(dev="v0", parent="root", chain=1)`,
	"tc.chain.change":       `tc.chain.change(dev="v0", parent="root", chain=1)`,
	"tc.chain.replace":      `tc.chain.replace(dev="v0", parent="root", chain=1)`,
	"tc.chain.delete":       `tc.chain.delete(dev="v0", parent="root", chain=1)`,
	"bridge.fdb.add":        `bridge.fdb.add("02:00:00:00:00:09", dev="v0", master=True)`,
	"bridge.fdb.set":        `bridge.fdb.set("02:00:00:00:00:09", dev="v0", master=True)`,
	"bridge.fdb.change":     `bridge.fdb.change("02:00:00:00:00:09", dev="v0", master=True)`,
	"bridge.fdb.replace":    `bridge.fdb.replace("02:00:00:00:00:09", dev="v0", master=True)`,
	"bridge.fdb.delete":     `bridge.fdb.delete("02:00:00:00:00:09", dev="v0", master=True)`,
	"bridge.vlan.add":       `bridge.vlan.add(dev="v0", vid=10)`,
	"bridge.vlan.set":       `bridge.vlan.set(dev="v0", vid=10)`,
	"bridge.vlan.change":    `bridge.vlan.change(dev="v0", vid=10)`,
	"bridge.vlan.replace":   `bridge.vlan.replace(dev="v0", vid=10)`,
	"bridge.vlan.delete":    `bridge.vlan.delete(dev="v0", vid=10)`,
	"bridge.mdb.add":        `bridge.mdb.add(dev="v0", port="v1", grp="239.1.1.1")`,
	"bridge.mdb.set":        `bridge.mdb.set(dev="v0", port="v1", grp="239.1.1.1")`,
	"bridge.mdb.change":     `bridge.mdb.change(dev="v0", port="v1", grp="239.1.1.1")`,
	"bridge.mdb.replace":    `bridge.mdb.replace(dev="v0", port="v1", grp="239.1.1.1")`,
	"bridge.mdb.delete":     `bridge.mdb.delete(dev="v0", port="v1", grp="239.1.1.1")`,
	"ip.netconf.add":        `ip.netconf.add(family=4, ifindex=1, forwarding=1)`,
	"ip.netconf.set":        `ip.netconf.set(family=4, ifindex=1, forwarding=1)`,
	"ip.netconf.change":     `ip.netconf.change(family=4, ifindex=1, forwarding=1)`,
	"ip.netconf.replace":    `ip.netconf.replace(family=4, ifindex=1, forwarding=1)`,
	"ip.netconf.delete":     `ip.netconf.delete(family=4, ifindex=1)`,
	"ethtool.set_channels":  `ethtool.set_channels("v0", rx_count=2)`,
	"genl.request":          `genl.request("SEG6", 3, {1: b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01"})`,
	"ethtool.set_rings":     `ethtool.set_rings("v0", rx=512, tx=512)`,
	"ethtool.set_coalesce":  `ethtool.set_coalesce("v0", rx_usecs=50, use_adaptive_rx=1)`,
	"ethtool.set_pause":     `ethtool.set_pause("v0", autoneg=0, rx=1, tx=1)`,
	"ethtool.set_linkinfo":  `ethtool.set_linkinfo("v0", tp_mdix_ctrl="auto")`,
	"ethtool.set_module":    `ethtool.set_module("v0", power_mode_policy="auto")`,
	"ethtool.set_mm":        `ethtool.set_mm("v0", pmac_enabled=1, tx_enabled=1)`,
	"ethtool.set_plca_cfg":  `ethtool.set_plca_cfg("v0", enabled=1, node_id=1)`,
	"ethtool.set_pse":       `ethtool.set_pse("v0", c33_pse_admin_control="enabled")`,
	"ethtool.set_rss":       `ethtool.set_rss("v0", hfunc="toeplitz", indir=[0, 1])`,
	"netdev.set_napi":       `netdev.set_napi(1, defer_hard_irqs=2)`,
	"tcp_metrics.delete":    `tcp_metrics.delete("127.0.0.1")`,
	"tcp_metrics.flush":     `tcp_metrics.flush()`,
	"ethtool.set_features":  `ethtool.set_features("v0", wanted={"rx-gro": True})`,
	"ethtool.set_linkmodes": `ethtool.set_linkmodes("v0", speed=1000)`,
	"ethtool.set_privflags": `ethtool.set_privflags("v0", flags={"x": True})`,
	"ethtool.set_eee":       `ethtool.set_eee("v0", enabled=1)`,
	"ethtool.set_wol":       `ethtool.set_wol("v0", modes={"magic": True})`,
	"ethtool.set_debug":     `ethtool.set_debug("v0", msgmask={"drv": True})`,
	"ethtool.set_fec":       `ethtool.set_fec("v0", modes={"RS": True})`,
	"mptcp.add_endpoint":    `mptcp.add_endpoint("10.0.0.7", id=7, dev="v0", flags=["subflow"])`,
	"mptcp.delete_endpoint": `mptcp.delete_endpoint(1)`,
	"mptcp.set_endpoint":    `mptcp.set_endpoint(id=1, flags=["backup"])`,
	"mptcp.flush_endpoints": `mptcp.flush_endpoints()`,
	"mptcp.set_limits":      `mptcp.set_limits(subflows=5, add_addr_accepted=5)`,
	// The userspace path manager's, on the connection userspaceScenario
	// holds: TOKEN is its client's token, which has announced id 7 and
	// joined a subflow from 127.0.0.2:SUBFLOW_PORT to the server's port.
	"mptcp.announce":       `mptcp.announce(TOKEN, address="127.0.0.4", id=8)`,
	"mptcp.remove":         `mptcp.remove(TOKEN, 7)`,
	"mptcp.add_subflow":    `mptcp.add_subflow(TOKEN, address="127.0.0.5", id=10, remote_address="127.0.0.1", remote_port=SERVER_PORT)`,
	"mptcp.delete_subflow": `mptcp.delete_subflow(TOKEN, address="127.0.0.2", port=SUBFLOW_PORT, remote_address="127.0.0.1", remote_port=SERVER_PORT)`,
	"mptcp.set_subflow":    `mptcp.set_subflow(TOKEN, address="127.0.0.2", flags=["backup"], remote_address="127.0.0.1", remote_port=SERVER_PORT)`,

	// veth has no hardware time stamping and no PHY: sent, these would
	// fail with EOPNOTSUPP; read-only and dry-run modes stop them first.
	"ethtool.set_tsconfig":   `ethtool.set_tsconfig("v0", tx_types=["on"], rx_filters=["all"])`,
	"ethtool.cable_test":     `ethtool.cable_test("v0")`,
	"ethtool.cable_test_tdr": `ethtool.cable_test_tdr("v0", cfg={"first": 100, "last": 1000, "step": 100})`,
}

// readOnlyFunctions are functions that never change anything.
var readOnlyFunctions = map[string]bool{"list": true, "dump": true, "get": true, "monitor": true, "batch": true,
	"families": true, "family": true, "policy": true, "channels": true, "linkinfo": true, "linkstate": true, "rings": true,
	"coalesce": true, "pause": true, "module": true, "rss": true, "tunnel_info": true, "phc_vclocks": true,
	"mm": true, "plca_cfg": true, "plca_status": true, "pse": true, "drvinfo": true, "driver_stats": true,
	"dev": true, "queue": true, "napi": true, "page_pool": true, "page_pool_stats": true, "qstats": true,
	"features": true, "linkmodes": true, "privflags": true, "eee": true, "tsinfo": true, "wol": true,
	"debug": true, "strset": true, "stats": true, "fec": true, "phy": true, "tsconfig": true, "module_eeprom": true,
	"endpoints": true, "limits": true, "cgroupstats": true, "exits": true}

// mutatingFunctions walks the predeclared modules and returns the name of
// every function that is not read-only.
func mutatingFunctions(t *testing.T, in *runtime.Interpreter) []string {
	var names []string
	var walk func(prefix string, v starlark.Value)
	walk = func(prefix string, v starlark.Value) {
		switch x := v.(type) {
		case *starlarkstruct.Module:
			for name, m := range x.Members {
				walk(prefix+"."+name, m)
			}
		case starlark.Callable:
			last := prefix[strings.LastIndexByte(prefix, '.')+1:]
			if !readOnlyFunctions[last] {
				names = append(names, prefix)
			}
		}
	}
	for _, m := range runtime.DefaultModules() {
		walk(m.Name(), in.Predeclared()[m.Name()])
	}
	names = append(names, "ip.batch.commit")
	sort.Strings(names)
	return names
}

// tcpMetricsAge matches the age of an `ip -j tcp_metrics show` entry.
var tcpMetricsAge = regexp.MustCompile(`"age":[^,}]*,?`)

// state is what iproute2 says the namespace holds.
func state(ns *nstest.NS) string {
	var sb strings.Builder
	for _, args := range [][]string{
		{"-j", "-d", "link"}, {"-j", "addr"}, {"-j", "route", "show", "table", "all"},
		{"-j", "-6", "route", "show", "table", "all"}, {"-j", "neigh"}, {"-j", "rule"},
		{"-j", "-6", "rule"}, {"-j", "nexthop"}, {"-j", "addrlabel"}, {"-j", "netns", "list-id"},
	} {
		out, err := ns.Try("ip", args...)
		fmt.Fprintf(&sb, "ip %s: %s %v\n", strings.Join(args, " "), out, err)
	}
	for _, args := range [][]string{{"-j", "fdb", "show"}, {"-j", "mdb", "show"}, {"-j", "vlan", "show"}} {
		out, err := ns.Try("bridge", args...)
		fmt.Fprintf(&sb, "bridge %s: %s %v\n", strings.Join(args, " "), out, err)
	}
	for _, args := range [][]string{{"-j", "qdisc"}, {"-j", "class", "show", "dev", "v0"}, {"-j", "filter", "show", "dev", "v0"}} {
		out, err := ns.Try("tc", args...)
		fmt.Fprintf(&sb, "tc %s: %s %v\n", strings.Join(args, " "), out, err)
	}
	out, err := ns.Try("ip", "sr", "tunsrc", "show")
	fmt.Fprintf(&sb, "ip sr tunsrc show: %s %v\n", out, err)
	for _, args := range [][]string{{"-j", "mptcp", "endpoint", "show"}, {"mptcp", "limits", "show"}} {
		out, err := ns.Try("ip", args...)
		fmt.Fprintf(&sb, "ip %s: %s %v\n", strings.Join(args, " "), out, err)
	}
	for _, args := range [][]string{{"-l", "v0"}, {"-g", "v0"}, {"-c", "v0"}, {"-a", "v0"}, {"--show-module", "v0"}, {"-k", "v0"}} {
		out, err := ns.Try("ethtool", args...)
		fmt.Fprintf(&sb, "ethtool %s: %s %v\n", strings.Join(args, " "), out, err)
	}
	// An entry's age grows as we look; the rest of it must not change.
	out, err = ns.Try("ip", "-j", "tcp_metrics", "show")
	fmt.Fprintf(&sb, "ip -j tcp_metrics show: %s %v\n", tcpMetricsAge.ReplaceAllString(out, ""), err)
	out, _ = ns.Try("sysctl", "-n", "net.ipv4.conf.lo.forwarding")
	sb.WriteString("forwarding " + out)
	out, err = ns.Try("ss", "-tniH")
	fmt.Fprintf(&sb, "ss -tniH: %s %v\n", tcpSockets(out), err)
	return sb.String()
}

// ssSocket matches one socket of `ss -tniH`: its two ends, and, for an
// MPTCP subflow, its flags (the ends' join and backup bits) and tokens.
var ssSocket = regexp.MustCompile(`(?m)^\S+\s+\d+\s+\d+\s+(\S+)\s+(\S+)\s*\n(?:[^\n]*?(tcp-ulp-mptcp flags:\S+ token:\S+))?[^\n]*$`)

// tcpSockets lists the TCP sockets (and MPTCP subflows) of `ss -tniH`,
// sorted, less the counters that change as time passes.
func tcpSockets(out string) string {
	var socks []string
	for _, m := range ssSocket.FindAllStringSubmatch(out, -1) {
		socks = append(socks, strings.Join(m[1:], " "))
	}
	sort.Strings(socks)
	return strings.Join(socks, "; ")
}

// userspaceScenario sets the namespace's MPTCP path manager to userspace
// and holds a connection open whose client, by a script in write mode,
// has announced 127.0.0.3 (id 7) and joined a subflow from 127.0.0.2
// (id 9). A socket stays subscribed to the path manager's events, as
// mptcpd would be: without a listener, the userspace path manager
// accepts no subflow. It returns what the calls of mutatingCalls refer to: TOKEN,
// SERVER_PORT and SUBFLOW_PORT, and a description of both ends'
// MPTCP_INFO for state.
func userspaceScenario(t *testing.T, ns *nstest.NS) (starlark.StringDict, func() string) {
	ns.Run("sysctl", "-qw", "net.mptcp.pm_type=1")
	events, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { events.Close() })
	fam, err := genetlink.NewResolver(events).Family(context.Background(), mptcp.FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	group, ok := fam.Group(mptcp.EventGroup)
	if !ok {
		t.Fatalf("mptcp_pm has no group %s", mptcp.EventGroup)
	}
	if err := events.JoinGroup(group); err != nil {
		t.Fatal(err)
	}
	held, err := ns.HoldTCP("127.0.0.1", nstest.TCPOptions{MPTCP: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := held.Info(false)
	if err != nil {
		t.Fatal(err)
	}
	vars := starlark.StringDict{
		"TOKEN": starlark.MakeUint64(uint64(info.Token)), "SERVER_PORT": starlark.MakeInt(int(held.Server.Port())),
	}
	in, err := runtime.New(runtime.Options{NetNS: ns.Name, Predeclared: vars})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	globals, err := in.Exec(ctx, "userspace.star", `
m = mptcp.monitor(timeout=5, count=3)
mptcp.announce(TOKEN, address="127.0.0.3", id=7)
mptcp.add_subflow(TOKEN, address="127.0.0.2", id=9, remote_address="127.0.0.1", remote_port=SERVER_PORT)
ports = [e.value.sport for e in m if e.action == "sub_established" and e.value.token == TOKEN]
`)
	if err != nil {
		t.Fatal(err)
	}
	ports, _ := globals["ports"].(*starlark.List)
	if ports == nil || ports.Len() != 1 {
		t.Fatalf("the client's subflow was not reported established: ports %v", globals["ports"])
	}
	vars["SUBFLOW_PORT"] = ports.Index(0)
	return vars, func() string {
		var sb strings.Builder
		for _, server := range []bool{false, true} {
			i, err := held.Info(server)
			fmt.Fprintf(&sb, "MPTCP_INFO (server %v): %+v %v\n", server, i, err)
		}
		return sb.String()
	}
}

func TestPermissions(t *testing.T) {
	for _, mode := range []runtime.Mode{runtime.ReadOnly, runtime.DryRun} {
		t.Run(mode.String(), func(t *testing.T) {
			ns := nstest.New(t)
			// Without DAD, the veths' link-local addresses are final when
			// they come up, not tentative until a timer the calls below
			// may outlast: state() would see them change.
			ns.Run("sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
			ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
			ns.Run("ip", "link", "set", "v0", "up")
			ns.Run("ip", "link", "set", "v1", "up")
			ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
			ns.Run("ip", "route", "add", "10.1.0.0/16", "via", "10.0.0.2")
			ns.Run("ip", "neigh", "add", "10.0.0.5", "lladdr", "02:00:00:00:00:05", "dev", "v0")
			ns.Run("ip", "rule", "add", "priority", "100", "table", "100")
			ns.Run("ip", "nexthop", "add", "id", "1", "via", "10.0.0.2", "dev", "v0", "onlink")
			ns.Run("ip", "addrlabel", "add", "prefix", "2001:db8:1::/48", "label", "5")
			ns.TCPExchange("127.0.0.1", nstest.TCPOptions{})
			ns.Run("ip", "mptcp", "endpoint", "add", "10.0.0.1", "id", "1", "signal")
			userspace, mptcpInfo := userspaceScenario(t, ns)
			before := state(ns) + mptcpInfo()
			if !strings.Contains(before, "127.0.0.2:") || !strings.Contains(before, "AddAddrSignal:1") {
				t.Fatalf("no userspace subflow or announced address in the scenario:\n%s", before)
			}
			if !strings.Contains(before, `"dst":"127.0.0.1"`) {
				t.Fatalf("no TCP metrics for 127.0.0.1 in the scenario:\n%s", before)
			}

			var printed []string
			in, err := runtime.New(runtime.Options{
				NetNS: ns.Name,
				Mode:  mode,
				Print: func(msg string) { printed = append(printed, msg) },
				Predeclared: starlark.StringDict{"NETNS": starlark.String(ns.Name), "TOKEN": userspace["TOKEN"],
					"SERVER_PORT": userspace["SERVER_PORT"], "SUBFLOW_PORT": userspace["SUBFLOW_PORT"]},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			fns := mutatingFunctions(t, in)
			if len(fns) < 30 {
				t.Fatalf("found only %d mutating functions: %v", len(fns), fns)
			}
			for _, fn := range fns {
				call, ok := mutatingCalls[fn]
				if !ok {
					t.Errorf("%s: no test call for this mutating function; add one to mutatingCalls", fn)
					continue
				}
				printed = nil
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_, err := in.Exec(ctx, "perm.star", call)
				cancel()
				switch mode {
				case runtime.ReadOnly:
					if err == nil || !strings.Contains(err.Error(), "refused: the interpreter is read-only") {
						t.Errorf("%s in read-only mode: got %v, want a refusal", fn, err)
					}
				case runtime.DryRun:
					if err != nil {
						t.Errorf("%s in dry-run mode: %v", fn, err)
					} else if len(printed) == 0 || !strings.HasPrefix(printed[0], "dry-run: ") {
						t.Errorf("%s in dry-run mode printed %q, want the request", fn, printed)
					}
				}
			}
			if after := state(ns) + mptcpInfo(); after != before {
				t.Errorf("kernel state changed in %s mode:\nbefore:\n%s\nafter:\n%s", mode, before, after)
			}
			names, err := netlink.ListNetNS()
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				if n == "nlsh-perm-never" {
					t.Errorf("ip.netns.add created a namespace in %s mode", mode)
				}
			}
		})
	}
}

// TestUserspaceCalls runs the userspace path manager's calls of
// mutatingCalls for real in their scenario: each succeeds, and state
// sees what it changed, so a leak in the modes above cannot go unseen.
func TestUserspaceCalls(t *testing.T) {
	ns := nstest.New(t)
	userspace, mptcpInfo := userspaceScenario(t, ns)
	in, err := runtime.New(runtime.Options{NetNS: ns.Name, Predeclared: userspace})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	before := state(ns) + mptcpInfo()
	t.Logf("scenario:\n%s", before)
	// set_subflow before delete_subflow, which closes its subflow.
	for _, fn := range []string{"mptcp.announce", "mptcp.remove", "mptcp.add_subflow", "mptcp.set_subflow", "mptcp.delete_subflow"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := in.Exec(ctx, "userspace.star", mutatingCalls[fn])
		cancel()
		if err != nil {
			t.Errorf("%s: %v", fn, err)
			continue
		}
		after := state(ns) + mptcpInfo()
		if after == before {
			t.Errorf("%s changed nothing state() sees:\n%s", fn, after)
		}
		before = after
	}
}
