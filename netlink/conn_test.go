package netlink_test

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
)

func dial(t testing.TB, ns *nstest.NS, cfg netlink.Config) *netlink.Conn {
	t.Helper()
	cfg.NetNS = ns.Name
	c, err := netlink.Dial(unix.NETLINK_ROUTE, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Request builders over the raw codec: this package knows no schema.

func linkDump() []byte {
	var e packet.Encoder
	e.BeginMessage(unix.RTM_GETLINK, 0)
	e.Grow(unix.SizeofIfInfomsg)
	e.EndMessage()
	return e.Bytes()
}

func addrDump() []byte {
	var e packet.Encoder
	e.BeginMessage(unix.RTM_GETADDR, 0)
	e.Grow(unix.SizeofIfAddrmsg)
	e.EndMessage()
	return e.Bytes()
}

func routeDump(table uint32) []byte {
	var e packet.Encoder
	e.BeginMessage(unix.RTM_GETROUTE, 0)
	rt := e.Grow(unix.SizeofRtMsg)
	rt[0] = unix.AF_INET
	if table != 0 {
		e.Uint32(unix.RTA_TABLE, table)
	}
	e.EndMessage()
	return e.Bytes()
}

// routeMsg encodes an IPv4 route request of type typ for dst/len in table
// via oif.
func routeMsg(e *packet.Encoder, typ, flags uint16, dst netip.Prefix, table uint32, oif int) {
	e.BeginMessage(typ, flags)
	rt := e.Grow(unix.SizeofRtMsg)
	rt[0], rt[1] = unix.AF_INET, byte(dst.Bits())
	rt[4], rt[5], rt[6], rt[7] = unix.RT_TABLE_UNSPEC, unix.RTPROT_STATIC, unix.RT_SCOPE_LINK, unix.RTN_UNICAST
	e.Addr(unix.RTA_DST, dst.Addr())
	e.Uint32(unix.RTA_TABLE, table)
	e.Uint32(unix.RTA_OIF, uint32(oif))
	e.EndMessage()
}

func ifindex(t testing.TB, ns *nstest.NS, name string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(ns.Run("cat", "/sys/class/net/"+name+"/ifindex"), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// attrs returns the attributes of a message after its fixed header, by type.
func attrs(t testing.TB, m packet.Message, fixed int) map[uint16]packet.Attr {
	t.Helper()
	out := map[uint16]packet.Attr{}
	s := packet.NewAttrScanner(m.Data[fixed:])
	for s.Next() {
		if _, dup := out[s.Attr().Type]; !dup {
			out[s.Attr().Type] = s.Attr()
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func ipJSON(t testing.TB, ns *nstest.NS, args ...string) []map[string]any {
	t.Helper()
	var v []map[string]any
	if err := json.Unmarshal([]byte(ns.Run("ip", append([]string{"-j"}, args...)...)), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDumpLinksAddrsRoutes(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "set", "v0", "up")
	ns.Run("ip", "addr", "add", "10.0.0.1/24", "dev", "v0")
	ns.Run("ip", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad")
	ns.Run("ip", "route", "add", "10.2.0.0/16", "via", "10.0.0.2", "table", "100")
	c := dial(t, ns, netlink.Config{})
	ctx := ctxT(t)

	var links []string
	for m, err := range c.Dump(ctx, linkDump()) {
		if err != nil {
			t.Fatal(err)
		}
		links = append(links, attrs(t, m, unix.SizeofIfInfomsg)[unix.IFLA_IFNAME].String())
	}
	var want []string
	for _, l := range ipJSON(t, ns, "link") {
		want = append(want, l["ifname"].(string))
	}
	sort.Strings(links)
	sort.Strings(want)
	if fmt.Sprint(links) != fmt.Sprint(want) {
		t.Errorf("links %v, ip says %v", links, want)
	}

	var addrs []string
	for m, err := range c.Dump(ctx, addrDump()) {
		if err != nil {
			t.Fatal(err)
		}
		a := attrs(t, m, unix.SizeofIfAddrmsg)
		ip, err := a[unix.IFA_ADDRESS].Addr()
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, fmt.Sprintf("%v/%d", ip, m.Data[1]))
	}
	var wantAddrs []string
	for _, l := range ipJSON(t, ns, "addr") {
		for _, ai := range l["addr_info"].([]any) {
			a := ai.(map[string]any)
			wantAddrs = append(wantAddrs, fmt.Sprintf("%v/%v", a["local"], a["prefixlen"]))
		}
	}
	sort.Strings(addrs)
	sort.Strings(wantAddrs)
	if fmt.Sprint(addrs) != fmt.Sprint(wantAddrs) {
		t.Errorf("addresses %v, ip says %v", addrs, wantAddrs)
	}

	n := 0
	for m, err := range c.Dump(ctx, routeDump(100)) {
		if err != nil {
			t.Fatal(err)
		}
		a := attrs(t, m, unix.SizeofRtMsg)
		if table, _ := a[unix.RTA_TABLE].Uint32(); table != 100 {
			t.Errorf("strict dump filter let through table %d", table)
		}
		if gw, _ := a[unix.RTA_GATEWAY].Addr(); gw != netip.MustParseAddr("10.0.0.2") {
			t.Errorf("gateway %v", gw)
		}
		n++
	}
	if n != 1 || !c.StrictCheck() {
		t.Errorf("table 100 has %d routes (strict %v), want 1", n, c.StrictCheck())
	}
}

func TestAddDeleteRoute(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "set", "v0", "up")
	c := dial(t, ns, netlink.Config{})
	idx := ifindex(t, ns, "v0")
	var e packet.Encoder
	routeMsg(&e, unix.RTM_NEWROUTE, unix.NLM_F_CREATE|unix.NLM_F_EXCL, netip.MustParsePrefix("10.3.0.0/16"), 200, idx)
	if _, err := c.Execute(ctxT(t), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	got := ipJSON(t, ns, "route", "show", "table", "200")
	if len(got) != 1 || got[0]["dst"] != "10.3.0.0/16" || got[0]["dev"] != "v0" || got[0]["protocol"] != "static" {
		t.Fatalf("after add, ip says %v", got)
	}
	e.Reset(nil)
	routeMsg(&e, unix.RTM_DELROUTE, 0, netip.MustParsePrefix("10.3.0.0/16"), 200, idx)
	if _, err := c.Execute(ctxT(t), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got := ipJSON(t, ns, "route", "show", "table", "200"); len(got) != 0 {
		t.Fatalf("after delete, ip says %v", got)
	}
	// Deleting again: ESRCH, and the error remembers the request.
	_, err := c.Execute(ctxT(t), e.Bytes())
	var pe *packet.Error
	if !errors.As(err, &pe) || pe.Errno != unix.ESRCH || pe.Header.Type != unix.RTM_DELROUTE || len(pe.Request) != len(e.Bytes()) {
		t.Fatalf("second delete: %v", err)
	}
}

func TestExtendedAck(t *testing.T) {
	ns := nstest.New(t)
	c := dial(t, ns, netlink.Config{})
	tests := []struct {
		name  string
		build func(e *packet.Encoder)
		errno unix.Errno
		msg   string
		attr  []uint16
	}{
		{
			name: "prefix length too long",
			build: func(e *packet.Encoder) {
				routeMsg(e, unix.RTM_NEWROUTE, unix.NLM_F_CREATE, netip.MustParsePrefix("10.0.0.0/8"), 254, 1)
				e.Bytes()[packet.HeaderLen+1] = 40
			},
			errno: unix.EINVAL, msg: "Invalid prefix length",
		},
		{
			name: "attribute of the wrong size",
			build: func(e *packet.Encoder) {
				e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_CREATE)
				rt := e.Grow(unix.SizeofRtMsg)
				rt[0], rt[1], rt[4] = unix.AF_INET, 8, 254
				e.Addr(unix.RTA_DST, netip.MustParseAddr("10.0.0.0"))
				e.Uint16(unix.RTA_OIF, 1) // a u32
				e.EndMessage()
			},
			errno: unix.ERANGE, msg: "Attribute failed policy validation", attr: []uint16{unix.RTA_OIF},
		},
		{
			name: "nexthop object that does not exist",
			build: func(e *packet.Encoder) {
				e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_CREATE)
				rt := e.Grow(unix.SizeofRtMsg)
				rt[0], rt[1], rt[4], rt[7] = unix.AF_INET, 8, 254, unix.RTN_UNICAST
				e.Addr(unix.RTA_DST, netip.MustParseAddr("10.0.0.0"))
				e.Uint32(30, 999) // RTA_NH_ID
				e.EndMessage()
			},
			errno: unix.EINVAL, msg: "Nexthop id does not exist",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e packet.Encoder
			tt.build(&e)
			_, err := c.Execute(ctxT(t), e.Bytes())
			var pe *packet.Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a kernel error", err)
			}
			if pe.Errno != tt.errno || pe.Message != tt.msg {
				t.Errorf("got %s %q, want %s %q", packet.ErrnoName(pe.Errno), pe.Message, packet.ErrnoName(tt.errno), tt.msg)
			}
			var path []uint16
			for _, r := range pe.Locate(unix.SizeofRtMsg) {
				path = append(path, r.Type)
			}
			if fmt.Sprint(path) != fmt.Sprint(tt.attr) {
				t.Errorf("extended ACK points at %v, want %v", path, tt.attr)
			}
			if !errors.Is(err, tt.errno) {
				t.Errorf("errors.Is(err, %v) is false", tt.errno)
			}
		})
	}
}

func TestBatchOneBadRequest(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "set", "v0", "up")
	idx := ifindex(t, ns, "v0")
	c := dial(t, ns, netlink.Config{})
	const n, bad = 1000, 500
	var e packet.Encoder
	for i := range n {
		dst := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 50, byte(i >> 8), byte(i)}), 32)
		routeMsg(&e, unix.RTM_NEWROUTE, unix.NLM_F_CREATE|unix.NLM_F_EXCL, dst, 300, idx)
	}
	// Corrupt request 500: a prefix length no IPv4 route can have.
	s := packet.NewMessageScanner(e.Bytes())
	for i := 0; s.Next(); i++ {
		if i == bad-1 {
			e.Bytes()[s.Offset()+packet.HeaderLen+1] = 40
		}
	}
	err := c.ExecuteBatch(ctxT(t), e.Bytes(), netlink.BatchOptions{})
	var be *netlink.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want a *BatchError", err)
	}
	if len(be.Errors) != n {
		t.Fatalf("%d results for %d requests", len(be.Errors), n)
	}
	for i, err := range be.Errors {
		if i == bad {
			var pe *packet.Error
			if !errors.As(err, &pe) || pe.Errno != unix.EINVAL || pe.Message != "Invalid prefix length" {
				t.Errorf("request %d: got %v, want EINVAL Invalid prefix length", i, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	count := 0
	for _, err := range c.Dump(ctxT(t), routeDump(300)) {
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	if count != n-1 {
		t.Errorf("kernel has %d routes, want %d", count, n-1)
	}
	if ipCount := len(ipJSON(t, ns, "route", "show", "table", "300")); ipCount != n-1 {
		t.Errorf("ip sees %d routes, want %d", ipCount, n-1)
	}

	// StopOnError: nothing after the failing sendmsg is sent.
	e.Reset(nil)
	for i := range 600 {
		dst := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 60, byte(i >> 8), byte(i)}), 32)
		routeMsg(&e, unix.RTM_NEWROUTE, unix.NLM_F_CREATE|unix.NLM_F_EXCL, dst, 301, idx)
	}
	s = packet.NewMessageScanner(e.Bytes())
	for i := 0; s.Next(); i++ {
		if i == 9 {
			e.Bytes()[s.Offset()+packet.HeaderLen+1] = 40 // request 10
		}
	}
	err = c.ExecuteBatch(ctxT(t), e.Bytes(), netlink.BatchOptions{StopOnError: true, PerSend: 100})
	if !errors.As(err, &be) {
		t.Fatalf("got %v", err)
	}
	for i, err := range be.Errors {
		switch {
		case i == 10 && err == nil, i < 100 && i != 10 && err != nil, i >= 100 && !errors.Is(err, netlink.ErrNotSent):
			t.Errorf("request %d: %v", i, err)
		}
	}
}

func TestMulticast(t *testing.T) {
	ns := nstest.New(t)
	sub := dial(t, ns, netlink.Config{Groups: []uint32{unix.RTNLGRP_LINK}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ns.Run("ip", "link", "add", "m0", "type", "veth", "peer", "m1")
	found := false
	for m, err := range sub.Notifications(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Type == unix.RTM_NEWLINK && attrs(t, m, unix.SizeofIfInfomsg)[unix.IFLA_IFNAME].String() == "m0" {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("no RTM_NEWLINK for m0")
	}
	if err := sub.LeaveGroup(unix.RTNLGRP_LINK); err != nil {
		t.Fatal(err)
	}
	ns.Run("ip", "link", "del", "m0")
	short, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	for m, err := range sub.Notifications(short) {
		if err == nil && m.Header.Type == unix.RTM_DELLINK {
			t.Fatal("got a notification after leaving the group")
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
	}
}

func TestEventsLost(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "set", "v0", "up")
	sub := dial(t, ns, netlink.Config{Groups: []uint32{unix.RTNLGRP_IPV4_ROUTE}, ReadBufferSize: 4096})
	// 2000 route notifications overflow a 4 KiB buffer nobody reads.
	var batch strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&batch, "route add 10.70.%d.%d/32 dev v0\n", i/256, i%256)
	}
	f := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(f, []byte(batch.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ns.Run("ip", "-batch", f)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lost, after := false, 0
	go func() {
		time.Sleep(500 * time.Millisecond)
		ns.Try("ip", "route", "add", "10.71.0.1/32", "dev", "v0")
	}()
	for m, err := range sub.Notifications(ctx) {
		if errors.Is(err, netlink.ErrEventsLost) {
			lost = true
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if lost && m.Header.Type == unix.RTM_NEWROUTE {
			dst, _ := attrs(t, m, unix.SizeofRtMsg)[unix.RTA_DST].Addr()
			after++
			if dst == netip.MustParseAddr("10.71.0.1") {
				break
			}
		}
	}
	if !lost {
		t.Fatal("no ErrEventsLost after overflowing the buffer")
	}
	if after == 0 {
		t.Fatal("the subscription did not keep working after the overflow")
	}
}

func TestDumpCancelled(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "v0", "type", "veth", "peer", "v1")
	ns.Run("ip", "link", "set", "v0", "up")
	idx := ifindex(t, ns, "v0")
	c := dial(t, ns, netlink.Config{})
	const n = 20000
	var e packet.Encoder
	for i := range n {
		dst := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 80, byte(i >> 8), byte(i)}), 32)
		routeMsg(&e, unix.RTM_NEWROUTE, unix.NLM_F_CREATE, dst, 400, idx)
	}
	if err := c.ExecuteBatch(ctxT(t), e.Bytes(), netlink.BatchOptions{}); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got, last := 0, error(nil)
	for _, err := range c.Dump(ctx, routeDump(400)) {
		if err != nil {
			last = err
			break
		}
		got++
		if got == 1 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Fatalf("dump ended with %v after %d messages, want context.Canceled", last, got)
	}
	if got >= n {
		t.Fatalf("the cancelled dump delivered all %d routes", got)
	}
	// The Conn drains the abandoned dump and serves the next one.
	count := 0
	for _, err := range c.Dump(ctxT(t), routeDump(400)) {
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	if count != n {
		t.Errorf("the next dump saw %d routes, want %d", count, n)
	}
	// Breaking out of a loop is the same: no EBUSY afterwards.
	for range c.Dump(ctxT(t), routeDump(400)) {
		break
	}
	count = 0
	for _, err := range c.Dump(ctxT(t), routeDump(400)) {
		if err != nil {
			t.Fatal(err)
		}
		count++
	}
	if count != n {
		t.Errorf("after a break, the next dump saw %d routes, want %d", count, n)
	}
}

func TestNotificationsCancelled(t *testing.T) {
	ns := nstest.New(t)
	sub := dial(t, ns, netlink.Config{Groups: []uint32{unix.RTNLGRP_LINK}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		for _, err := range sub.Notifications(ctx) {
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a receive blocked with no events was not cancelled")
	}
}

func TestDumpInterrupted(t *testing.T) {
	ns := nstest.New(t)
	// Link dumps carry the namespace's device sequence number; adding a
	// link between two receives of one dump makes the kernel flag it.
	for i := range 60 {
		ns.Run("ip", "link", "add", fmt.Sprintf("d%d", i), "type", "veth", "peer", fmt.Sprintf("e%d", i))
	}
	c := dial(t, ns, netlink.Config{})
	changeDuring := func(opts ...netlink.DumpOption) (restarts int, final error, n int) {
		i := 0
		for _, err := range c.Dump(ctxT(t), linkDump(), opts...) {
			if errors.Is(err, netlink.ErrDumpRestarted) {
				restarts++
				n = 0
				continue
			}
			if err != nil {
				return restarts, err, n
			}
			n++
			if i++; i == 3 && restarts == 0 {
				ns.Run("ip", "link", "add", "x0", "type", "veth", "peer", "x1")
			}
		}
		return restarts, nil, n
	}
	_, err, _ := changeDuring()
	if !errors.Is(err, netlink.ErrDumpInterrupted) {
		t.Fatalf("a dump changed under it ended with %v, want ErrDumpInterrupted", err)
	}
	ns.Run("ip", "link", "del", "x0")
	restarts, err, n := changeDuring(netlink.RetryInterrupted(2))
	if err != nil || restarts != 1 {
		t.Fatalf("with retry: %d restarts, err %v", restarts, err)
	}
	if want := 1 + 120 + 2; n != want {
		t.Errorf("the retried dump has %d links, want %d", n, want)
	}
}

func TestNetNS(t *testing.T) {
	ns := nstest.New(t)
	ns.Run("ip", "link", "add", "only-here", "type", "veth", "peer", "only-here2")
	byName := dial(t, ns, netlink.Config{})
	f, err := os.Open(ns.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byFD, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNSFD: int(f.Fd())})
	if err != nil {
		t.Fatal(err)
	}
	defer byFD.Close()
	for name, c := range map[string]*netlink.Conn{"by name": byName, "by fd": byFD} {
		var names []string
		for m, err := range c.Dump(ctxT(t), linkDump()) {
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, attrs(t, m, unix.SizeofIfInfomsg)[unix.IFLA_IFNAME].String())
		}
		sort.Strings(names)
		if fmt.Sprint(names) != "[lo only-here only-here2]" {
			t.Errorf("%s: links %v", name, names)
		}
	}
	if _, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: "nlsh-no-such-ns"}); err == nil {
		t.Error("dial into a missing namespace succeeded")
	}

	// No thread of this process is left in the other namespace.
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := netlink.Dial(unix.NETLINK_ROUTE, &netlink.Config{NetNS: ns.Name})
			if err == nil {
				c.Close()
			}
		}()
	}
	wg.Wait()
	own, _ := os.Readlink("/proc/self/ns/net")
	tasks, _ := filepath.Glob("/proc/self/task/*/ns/net")
	for _, task := range tasks {
		if l, err := os.Readlink(task); err == nil && l != own {
			t.Errorf("%s is in %s, not %s", task, l, own)
		}
	}
}

func TestExecuteReplyOwnsBytes(t *testing.T) {
	ns := nstest.New(t)
	c := dial(t, ns, netlink.Config{})
	get := func(index uint32) []byte {
		var e packet.Encoder
		e.BeginMessage(unix.RTM_GETLINK, 0)
		ifi := e.Grow(unix.SizeofIfInfomsg)
		binary.NativeEndian.PutUint32(ifi[4:], index)
		e.EndMessage()
		return e.Bytes()
	}
	replies, err := c.Execute(ctxT(t), get(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != 1 || replies[0].Header.Type != unix.RTM_NEWLINK {
		t.Fatalf("got %d replies", len(replies))
	}
	before := string(replies[0].Data)
	for range c.Dump(ctxT(t), linkDump()) {
	}
	if _, err := c.Execute(ctxT(t), get(1)); err != nil {
		t.Fatal(err)
	}
	if string(replies[0].Data) != before {
		t.Error("a reply returned by Execute changed when the Conn received again")
	}
	if name := attrs(t, replies[0], unix.SizeofIfInfomsg)[unix.IFLA_IFNAME].String(); name != "lo" {
		t.Errorf("ifindex 1 is %q", name)
	}
}

func TestConcurrentUse(t *testing.T) {
	ns := nstest.New(t)
	c := dial(t, ns, netlink.Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if i%2 == 0 {
					for _, err := range c.Dump(context.Background(), linkDump()) {
						if err != nil {
							errs <- err
							return
						}
					}
				} else if _, err := c.Execute(context.Background(), addrDump()[:packet.HeaderLen+unix.SizeofIfAddrmsg]); err != nil && !errors.Is(err, unix.EOPNOTSUPP) && !errors.Is(err, unix.EINVAL) {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
