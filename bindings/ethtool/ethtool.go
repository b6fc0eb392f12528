// Package ethtool is the Starlark module ethtool: a device's settings as
// the ethtool family reports them, one function per operation,
// ethtool.drvinfo, what `ethtool -i` prints, and ethtool.driver_stats,
// what `ethtool -S` prints.
//
//	ch = ethtool.channels(dev="eth0")      # one device
//	print(ch.rx_count, ch.rx_max)
//	for s in ethtool.linkstate():          # every device that reports it
//	    print(s.header.dev_name, s.link)
//
//	ethtool.set_rings("eth0", rx=1024)     # ethtool -G eth0 rx 1024
//	c = ethtool.coalesce("eth0")           # ethtool -c eth0
//	ethtool.set_coalesce("eth0", rx_usecs=50, use_adaptive_rx=1)
//	p = ethtool.pause("eth0", stats=True)  # ethtool -I -a eth0
//	print(p.autoneg, p.rx, p.tx, p.stats.rx_frames)
//	d = ethtool.drvinfo("eth0")            # ethtool -i eth0
//	print(d.driver, d.version, d.bus_info, d.supports_statistics)
//
// Fields are named after the family's attributes (ethtool_netlink.h):
// channels has rx_max, tx_max, other_max, combined_max and their counts;
// linkinfo has port, phyaddr, tp_mdix, tp_mdix_ctrl and transceiver;
// linkstate has link, sqi and the extended state; rings has the ring sizes;
// coalesce has rx_usecs, rx_max_frames, use_adaptive_rx and the rest of
// ethtool -c, with the DIM profiles as rx_profile and tx_profile; pause has
// autoneg, rx, tx and, with stats=True, stats.tx_frames and rx_frames.
// module, rss, tunnel_info, phc_vclocks, mm, plca_cfg, plca_status and pse
// follow ethtool --show-module, -x, --show-tunnels, -T, --show-mm,
// --get-plca-cfg, --get-plca-status and --show-pse; set_rss is ethtool -X
// (hfunc="toeplitz", indir=[0, 1, ...], hkey=b"...", flow_hash={"tcp4":
// ["ip_src", "ip_dst", "l4_b_0_1", "l4_b_2_3"]}). Each set_ function
// takes the fields of its get that can change; the maximums and states the
// kernel reports (rx_max, tx_active, ...) are refused.
//
// drvinfo(dev) has driver, version, firmware_version, bus_info,
// expansion_rom_version, the counts n_stats, n_priv_flags, testinfo_len,
// eedump_len and regdump_len, and supports_statistics, supports_test,
// supports_eeprom_access, supports_register_dump and supports_priv_flags.
// It goes through the SIOCETHTOOL ioctl, in the session's namespace.
//
// driver_stats(dev) is what `ethtool -S` prints: the driver's own
// counters, a dict of name → int in the driver's order, also through the
// ioctl. A driver without statistics (lo) fails with EOPNOTSUPP. The
// names are the driver's: a veth has peer_ifindex, then per queue
// rx_queue_N_xdp_packets, rx_queue_N_drops, tx_queue_N_xdp_xmit and more.
// A name a driver repeats appears once, with its last value.
//
//	s = ethtool.driver_stats("veth0")      # ethtool -S veth0
//	print(s["peer_ifindex"])
//	for name, value in s.items():
//	    print(name, value)
//
// Bitsets read as a list of names when they list the bits that are set,
// and as a dict of name → bool when they carry a mask (every bit that
// exists, and whether it is on):
//
//	f = ethtool.features("eth0")           # ethtool -k eth0
//	print(f.active)                        # ["tx-scatter-gather", ...]
//	print(f.hw["rx-gro"])                  # True: user space may change it
//	r = ethtool.set_features("eth0", wanted = {"rx-gro": False})  # ethtool -K eth0 gro off
//	print(r.active)                        # {"rx-gro": False}: what changed
//	print(r.wanted)                        # {}: every request took
//
//	m = ethtool.linkmodes("eth0")          # ethtool eth0
//	print(m.speed, m.duplex, m.autoneg)    # 1000 full on
//	print([n for n, on in m.ours.items() if on])  # advertised link modes
//	ethtool.set_linkmodes("eth0", autoneg = "off", speed = 100, duplex = "full")
//
// features has hw (dict), wanted, active and nochange (lists); a feature
// is fixed, as ethtool -k says, when hw has it False or nochange lists it.
// linkmodes has autoneg, ours (supported → advertised), peer, speed,
// duplex, lanes and master_slave_cfg/state. privflags has flags; eee has
// modes_ours, modes_peer, active, enabled, tx_lpi_enabled and
// tx_lpi_timer; wol has modes and sopass; debug has msgmask, the list of
// message classes the driver logs (a tap device has one); tsinfo has
// timestamping, tx_types, rx_filters and phc_index, as ethtool -T prints
// them. Each of features, linkmodes, privflags, eee, wol and debug has a
// set_ function taking a dict for its bitset.
//
// strset reads the kernel's string sets, the names behind the bits:
// ethtool.strset() the global ones, ethtool.strset(dev = "eth0") the
// device's, and stringsets = {"stringset": [{"id": "link_modes"}]} picks
// some. stats reads the standard statistics groups:
// ethtool.stats("eth0", groups = ["eth-mac", "rmon"]).grp[0].stat is a
// dict of IEEE 802.3 counter name → value. fec has modes (the configured
// encodings), auto and active, as ethtool --show-fec prints them, and with
// stats=True the corrected and uncorrectable block counters, per lane;
// set_fec(dev, modes={"RS": True}) is ethtool --set-fec.
//
// phy reads the PHYs ethtool --show-phys lists: index, drvname, name,
// upstream_type ("mac" or "phy"), upstream_index and the SFP names;
// phy(dev) reads the device's own PHY, and phy() lists every PHY of every
// device, those behind an SFP cage included. strset, pse, set_pse, plca_cfg,
// set_plca_cfg, plca_status and the cable tests take phy=, a PHY's index,
// to talk to that PHY rather than the device's own (Linux 6.12):
//
//	for p in ethtool.phy():                # ethtool --show-phys '*'
//	    print(p.header.dev_name, p.index, p.drvname, p.upstream_type)
//	print(ethtool.pse("eth0", phy = 2).c33_pse_admin_state)
//
// tsconfig and set_tsconfig read and set the hardware time stamping in
// effect (Linux 6.15): hwtstamp_provider (index, qualifier), tx_types and
// rx_filters (a list of one name each) and hwtstamp_flags;
// ethtool.set_tsconfig("eth0", tx_types = ["on"], rx_filters = ["all"])
// returns the configuration the kernel set, when it answers with one
// (TSCONFIG_SET_REPLY), and None otherwise.
//
// module_eeprom reads a plug-in module's EEPROM, as ethtool -m does:
// offset (0-255) and length (1-128) in the window of page, bank and
// i2c_address; without them, the first 128 bytes of page 0 at 0x50, whose
// first byte names the module type. A page other than 0 is read from
// offset 128 on. data is the bytes:
//
//	id = ethtool.module_eeprom("eth0", length = 1).data[0]   # 0x03: SFP
//	page3 = ethtool.module_eeprom("eth0", offset = 128, page = 3).data
//
// cable_test(dev) and cable_test_tdr(dev, cfg = {"first": 100, "last":
// 1000, "step": 100, "pair": "A"}) start a cable test (distances in
// centimetres, where ethtool --cable-test-tdr takes metres); they need
// write permission and return None. The results come from monitor(), as
// cable_test_ntf (status "started", then "completed" with nest.result, a
// code per pair such as "ok" or "open", and nest.fault_length, the
// distance to each fault in cm) and cable_test_tdr_ntf (nest.step,
// nest.amplitude and nest.pulse, in mV, in the order measured).
//
// monitor() yields the family's notifications: each set, by anyone, as a
// typed value of its get ("channels_ntf" carries an ethtool.channels).
// Notifications carry compact bitsets, without names; monitor() names
// their bits from the kernel's string sets, read once per session (a
// device's private flags at each notification), as ethtool --monitor does.
package ethtool

import (
	"errors"
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/genl"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink/ethtoolioctl"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/schema"
)

// Module is the ethtool module, for the runtime's list of modules.
type Module struct{}

// Name returns "ethtool".
func (Module) Name() string { return "ethtool" }

// statsOps are the operations whose replies carry counters when the
// request's header asks with ETHTOOL_FLAG_STATS.
var statsOps = []string{"pause", "mm", "tsinfo", "fec"}

// New builds the ethtool module for a session: a function per operation
// of ethtool.Family, whose device argument dev fills the request's header,
// drvinfo and driver_stats.
func (Module) New(sess *bindings.Session) starlark.Value {
	members := genl.Functions(sess, genl.Binding{
		Module: "ethtool",
		Family: ethtool.Family,
		Args:   map[string]string{"dev": "header.dev_name", "phy": "header.phy_index"},
		Switches: []genl.Switch{{Arg: "stats", Path: "header.flags", Bit: "stats", Ops: statsOps,
			Doc: "also reports the counters (ETHTOOL_FLAG_STATS, ethtool -I)"}},
		Rewrite: (&bitNames{sess: sess, global: map[uint32][]string{}}).rewrite,
	})
	members["drvinfo"] = drvinfo(sess)
	members["driver_stats"] = driverStats(sess)
	return &starlarkstruct.Module{Name: "ethtool", Members: members}
}

// drvinfo builds ethtool.drvinfo(dev).
func drvinfo(sess *bindings.Session) *bindings.Function {
	const name = "ethtool.drvinfo"
	doc := fmt.Sprintf("%s(dev)\n%s, through the SIOCETHTOOL ioctl.\nFields: %s",
		name, ethtool.DrvInfo.Doc, strings.Join(ethtool.DrvInfo.FieldNames(), ", "))
	return ioctlFunction(name, doc, func(dev string) (starlark.Value, error) {
		raw, err := ethtoolioctl.DrvInfo(sess.NetNS(), dev)
		if err != nil {
			return nil, err
		}
		v, err := schema.Decode(ethtool.DrvInfo, raw)
		if err != nil {
			return nil, err
		}
		return object.New(name, v), nil
	})
}

// driverStats builds ethtool.driver_stats(dev).
func driverStats(sess *bindings.Session) *bindings.Function {
	const name = "ethtool.driver_stats"
	doc := name + "(dev)\nThe driver's statistics, what ethtool -S prints: a dict of name → counter, " +
		"in the driver's order, read through the SIOCETHTOOL ioctl (ETHTOOL_GSTRINGS, ETHTOOL_GSTATS)."
	return ioctlFunction(name, doc, func(dev string) (starlark.Value, error) {
		m, err := ethtoolioctl.DriverStats(sess.NetNS(), dev)
		if err != nil {
			return nil, err
		}
		return object.Value(name, m), nil
	})
}

// ioctlFunction builds a function name(dev) that reads through the
// SIOCETHTOOL ioctl: read does the reading, and its errors are named
// after the function, with the errno and, when the errno means the device
// (no such device, or a name too long), the argument dev.
func ioctlFunction(name, doc string, read func(dev string) (starlark.Value, error)) *bindings.Function {
	return bindings.NewFunction(name, doc, []string{"dev"}, func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		var dev starlark.Value
		if err := starlark.UnpackArgs(name, args, kw, "dev", &dev); err != nil {
			return nil, err
		}
		s, ok := dev.(starlark.String)
		if !ok {
			return nil, fmt.Errorf("%s: dev: want a name, got %s", name, dev.Type())
		}
		v, err := read(string(s))
		if err != nil {
			var errno unix.Errno
			if errors.As(err, &errno) {
				msg := fmt.Sprintf("%s: %s (%s)", name, packet.ErrnoName(errno), errno.Error())
				if errno == unix.ENODEV || errno == unix.EINVAL {
					msg += ": argument dev" // no such device, or a name too long
				}
				return nil, errors.New(msg)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return v, nil
	})
}
