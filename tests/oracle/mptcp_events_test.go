package oracle

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// ipMPTCPEvents maps the names `ip mptcp monitor` prints in brackets to
// the MPTCP_EVENT_* commands; it prints "UNKNOWN N" for the ones it does
// not know (the listener events, in iproute2 6.1).
var ipMPTCPEvents = map[string]uint8{
	"CREATED": 1, "ESTABLISHED": 2, "CLOSED": 3, "ANNOUNCED": 6, "REMOVED": 7,
	"SF_ESTABLISHED": 10, "SF_CLOSED": 11, "SF_PRIO": 13, "LISTENER_CREATED": 15, "LISTENER_CLOSED": 16,
}

// ipMPTCPFields maps the keys `ip mptcp monitor` prints to our fields;
// flags are compared apart.
var ipMPTCPFields = map[string]string{
	"token": "token", "remid": "rem_id", "locid": "loc_id", "saddr4": "saddr", "saddr6": "saddr",
	"daddr4": "daddr", "daddr6": "daddr", "sport": "sport", "dport": "dport", "backup": "backup",
	"error": "error", "timeout": "timeout", "ifindex": "if_idx", "reset_reason": "reset_reason",
	"reset_flags": "reset_flags",
}

// ipMPTCPEvent is one line of `ip mptcp monitor`: the event's command,
// its key=value fields, and its flags, which iproute2 prints as
// flags=HEX (6.1) or as the words server_side and deny_join_id0 followed
// by flags=0xHEX for the bits it cannot name (newer releases).
type ipMPTCPEvent struct {
	cmd    uint8
	known  bool
	fields map[string]string
	flags  uint64
}

func parseIPMPTCPEvent(line string) (ipMPTCPEvent, error) {
	ev := ipMPTCPEvent{fields: map[string]string{}}
	end := strings.IndexByte(line, ']')
	if !strings.HasPrefix(line, "[") || end < 0 {
		return ev, fmt.Errorf("no [EVENT] in %q", line)
	}
	name := strings.TrimSpace(line[1:end])
	if n, ok := strings.CutPrefix(name, "UNKNOWN "); ok {
		cmd, err := strconv.ParseUint(n, 10, 8)
		if err != nil {
			return ev, fmt.Errorf("bad event in %q", line)
		}
		ev.cmd = uint8(cmd)
	} else if ev.cmd, ev.known = ipMPTCPEvents[name]; !ev.known {
		return ev, fmt.Errorf("unknown event name in %q", line)
	}
	for _, word := range strings.Fields(line[end+1:]) {
		k, v, ok := strings.Cut(word, "=")
		switch {
		case !ok && (word == "server_side" || word == "deny_join_id0"):
			bit, _ := mptcp.EventFlags.Value(word)
			ev.flags |= bit
		case k == "flags":
			bits, err := strconv.ParseUint(strings.TrimPrefix(v, "0x"), 16, 16)
			if err != nil {
				return ev, fmt.Errorf("bad flags in %q", line)
			}
			ev.flags |= bits
		case ok && ipMPTCPFields[k] != "":
			ev.fields[k] = v
		default:
			return ev, fmt.Errorf("unknown field %q in %q", word, line)
		}
	}
	return ev, nil
}

// ipText renders our field as `ip mptcp monitor` prints the key.
func ipText(key string, v any) string {
	switch key {
	case "token":
		return fmt.Sprintf("%08x", v)
	case "reset_flags":
		return fmt.Sprintf("0x%x", v)
	case "saddr4", "daddr4", "saddr6", "daddr6":
		if s, ok := v.(fmt.Stringer); ok {
			return s.String()
		}
	}
	return fmt.Sprint(v)
}

// eventFlagBits turns our flags back into their bits.
func eventFlagBits(t *testing.T, v *schema.View) uint64 {
	t.Helper()
	names, _, err := v.Get("flags")
	if err != nil {
		t.Errorf("flags: %v", err)
	}
	names2, _ := names.([]string)
	var bits uint64
	for _, n := range names2 {
		b, ok := mptcp.EventFlags.Value(n)
		if !ok {
			if x, err := strconv.ParseUint(strings.TrimPrefix(n, "0x"), 16, 16); err == nil {
				b = x
			} else {
				t.Errorf("flags: unknown %q", n)
			}
		}
		bits |= b
	}
	return bits
}

// ipMonitorSubscribed reports whether a generic netlink socket of the
// process pid's namespace, other than ours, has joined group gid: the
// Groups column of /proc/net/netlink is the mask of groups 1 to 32.
func ipMonitorSubscribed(t *testing.T, pid int, gid uint32) bool {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/netlink", pid))
	if err != nil {
		return false // ip has not started, or is gone: its Wait says why
	}
	for _, line := range strings.Split(string(b), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 4 || f[1] != strconv.Itoa(unix.NETLINK_GENERIC) {
			continue
		}
		mask, err := strconv.ParseUint(f[3], 16, 32)
		if err == nil && mask&(1<<(gid-1)) != 0 {
			return true
		}
	}
	return false
}

// TestOracleMPTCPEvents: the events of four MPTCP connections (one with
// a subflow joined from an endpoint, one over IPv4, one over IPv6, and
// one the userspace path manager manages by nlsh's requests), as
// nlsh decodes them and as `ip mptcp monitor` prints them, field by
// field, in the order both received them.
func TestOracleMPTCPEvents(t *testing.T) {
	ns := nstest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := genlClient(t, ns) // any genl family's client in ns
	fam, err := client.Resolver().Family(ctx, mptcp.FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	gid, ok := fam.Group(mptcp.EventGroup)
	if !ok || gid == 0 || gid > 32 {
		t.Fatalf("group %s: id %d, %v (this test reads groups 1-32 from /proc/net/netlink)", mptcp.EventGroup, gid, ok)
	}

	// ip first, and only once it has joined the group: until then
	// nothing else in the namespace has.
	cmd := exec.CommandContext(ctx, "ip", "-n", ns.Name, "mptcp", "monitor")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	for !ipMonitorSubscribed(t, cmd.Process.Pid, gid) {
		if ctx.Err() != nil {
			t.Fatalf("ip mptcp monitor never joined %s: %s", mptcp.EventGroup, stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		s := bufio.NewScanner(out)
		for s.Scan() {
			lines <- s.Text()
		}
	}()
	sub, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name, Groups: []uint32{gid}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	// Each connection: the listener created, each end's created,
	// established and closed, and the listener closed. The first has a
	// subflow joined from an endpoint (sub_established on each end), and
	// perhaps the server's refused attempt at one (sub_closed), which is
	// compared if it comes before the last connection's events end.
	ns.Run("ip", "mptcp", "endpoint", "add", "127.0.0.2", "id", "5", "subflow")
	conns := []nstest.TCPConn{ns.TCPExchange("127.0.0.1", nstest.TCPOptions{MPTCP: true, Subflows: 1})}
	ns.Run("ip", "mptcp", "endpoint", "flush")
	conns = append(conns,
		ns.TCPExchange("127.0.0.1", nstest.TCPOptions{MPTCP: true}),
		ns.TCPExchange("::1", nstest.TCPOptions{MPTCP: true}),
	)
	type ourEvent struct {
		ev *genl.Event
		v  *schema.View
	}
	var ours []ourEvent
	// collect reads notifications until it has the events required of
	// each kind, counting those that match; it keeps every event.
	collect := func(required map[string]int, match func(v *schema.View) bool) {
		t.Helper()
		missing := 0
		for _, n := range required {
			missing += n
		}
		for m, err := range sub.Notifications(ctx) {
			if err != nil {
				t.Fatalf("after %d events: %v", len(ours), err)
			}
			if m.Header.Type != fam.ID {
				continue
			}
			command, _, _ := genl.HeaderOf(m.Data)
			ev := mptcp.Family.Event(command)
			if ev == nil {
				t.Fatalf("command %d has no event", command)
			}
			v, err := schema.Decode(ev.Message, append([]byte(nil), m.Data...))
			if err != nil {
				t.Fatal(err)
			}
			ours = append(ours, ourEvent{ev, v})
			if required[ev.Name] > 0 && match(v) {
				required[ev.Name]--
				missing--
			}
			if missing == 0 {
				break
			}
		}
	}
	collect(map[string]int{"listener_created": 3, "created": 6, "established": 6, "sub_established": 2,
		"closed": 6, "listener_closed": 3}, func(*schema.View) bool { return true })

	// Then a connection the userspace path manager manages, by nlsh's
	// requests: the client announces an address and removes it, opens a
	// subflow, makes it a backup and closes it; the server reports
	// announced, removed and sub_priority, both ends sub_established and
	// sub_closed. (ip's subscription is what lets the server's path
	// manager accept the subflow.)
	ns.Run("sysctl", "-qw", "net.mptcp.pm_type=1")
	held, err := ns.HoldTCP("127.0.0.1", nstest.TCPOptions{MPTCP: true})
	if err != nil {
		t.Fatal(err)
	}
	conns = append(conns, held.TCPConn)
	clientInfo, err := held.Info(false)
	if err != nil {
		t.Fatal(err)
	}
	serverInfo, err := held.Info(true)
	if err != nil {
		t.Fatal(err)
	}
	token := uint64(clientInfo.Token)
	userspace := func(v *schema.View) bool {
		tok, ok, _ := v.Get("token")
		return !ok || tok == token || tok == uint64(serverInfo.Token)
	}
	do := func(op *genl.Operation, f schema.Fields) {
		t.Helper()
		f["token"] = token
		if _, err := client.Do(ctx, mptcp.Family, op, f); err != nil {
			t.Fatalf("%s: %v", op.Name, err)
		}
	}
	collect(map[string]int{"listener_created": 1, "created": 2, "established": 2}, userspace)
	do(mptcp.Announce, schema.Fields{"addr": schema.Fields{"family": "inet", "address": "127.0.0.3", "id": 7, "flags": []string{"signal"}}})
	collect(map[string]int{"announced": 1}, userspace)
	do(mptcp.Remove, schema.Fields{"loc_id": 7})
	collect(map[string]int{"removed": 1}, userspace)
	remote := schema.Fields{"family": "inet", "address": "127.0.0.1", "port": held.Server.Port()}
	do(mptcp.AddSubflow, schema.Fields{"addr": schema.Fields{"family": "inet", "address": "127.0.0.2", "id": 9}, "addr_remote": remote})
	collect(map[string]int{"sub_established": 2}, userspace)
	var subflowPort any
	for _, o := range ours {
		if tok, _, _ := o.v.Get("token"); o.ev.Name == "sub_established" && tok == token {
			subflowPort, _, _ = o.v.Get("sport")
		}
	}
	local := schema.Fields{"family": "inet", "address": "127.0.0.2", "port": subflowPort}
	do(mptcp.SetSubflow, schema.Fields{"addr": schema.Fields{"family": "inet", "address": "127.0.0.2", "flags": []string{"backup"}},
		"addr_remote": remote})
	collect(map[string]int{"sub_priority": 1}, userspace)
	do(mptcp.DeleteSubflow, schema.Fields{"addr": local, "addr_remote": remote})
	collect(map[string]int{"sub_closed": 2}, userspace)
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	collect(map[string]int{"closed": 2, "listener_closed": 1}, userspace)

	want := len(ours)
	var theirs []string
	for len(theirs) < want {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("ip mptcp monitor ended after %d lines: %s", len(theirs), stderr.String())
			}
			theirs = append(theirs, l)
		case <-ctx.Done():
			t.Fatalf("ip mptcp monitor printed %d lines of %d: %q", len(theirs), want, theirs)
		}
	}

	ports := map[uint64]bool{}
	for _, c := range conns {
		ports[uint64(c.Client.Port())], ports[uint64(c.Server.Port())] = true, true
	}
	compared := 0
	for i, line := range theirs {
		their, err := parseIPMPTCPEvent(line)
		if err != nil {
			t.Error(err)
			continue
		}
		our := ours[i]
		obj := fmt.Sprintf("event %d (%s)", i, our.ev.Name)
		checkField(t, obj, "command", our.ev.Cmd, their.cmd)
		compared++
		if err := our.v.Err(); err != nil {
			t.Errorf("%s: %v", obj, err)
		}
		// A joined subflow has a port of its own; the rest are the
		// connections'.
		if sport, ok, _ := our.v.Get("sport"); ok && !strings.HasPrefix(our.ev.Name, "sub_") && !ports[sport.(uint64)] {
			t.Errorf("%s: sport %v is none of the connections' ports %v", obj, sport, conns)
		}
		if !their.known {
			continue
		}
		printed := map[string]bool{}
		for key, text := range their.fields {
			field := ipMPTCPFields[key]
			printed[field] = true
			val, ok, err := our.v.Get(field)
			if !ok || err != nil {
				t.Errorf("%s: ip prints %s=%s, nlsh has no %s (%v)", obj, key, text, field, err)
				continue
			}
			checkField(t, obj, key, ipText(key, val), text)
			compared++
		}
		for _, a := range mptcp.EventSet.Attrs() {
			if _, present := our.v.Raw(a.Type); present && !a.Hidden && !printed[a.Name] && a.Name != "flags" &&
				a.Name != "family" && a.Name != "server_side" {
				t.Errorf("%s: nlsh has %s, ip prints none", obj, a.Name)
			}
		}
		checkField(t, obj, "flags", eventFlagBits(t, our.v), their.flags)
		compared++
	}
	if t.Failed() {
		t.Logf("ip mptcp monitor printed:\n%s", strings.Join(theirs, "\n"))
	}
	kinds := map[string]bool{}
	for _, o := range ours {
		kinds[o.ev.Name] = true
	}
	t.Logf("compared %d fields of %d events (%d kinds) with ip mptcp monitor", compared, want, len(kinds))
}
