package oracle

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tcpmetrics"
)

// tcpMetricsKey names a cache entry as ip does: destination and source.
func tcpMetricsKey(dst, source any) string { return fmt.Sprintf("%v from %v", dst, source) }

// ipFloat is how ip -j prints a double (json_writer's %g): what a value of
// ours reads as once ip has printed it.
func ipFloat(x float64) float64 {
	f, _ := strconv.ParseFloat(fmt.Sprintf("%g", x), 64)
	return f
}

// TestOracleTCPMetrics makes the kernel record TCP metrics in a private
// namespace — connections over loopback, IPv4 and IPv6, one of them with a
// TCP Fast Open cookie — reads them through the tcp_metrics family, and
// compares every field `ip -j tcp_metrics show` prints with ours; then
// deletes and flushes through the family and checks that ip sees it.
func TestOracleTCPMetrics(t *testing.T) {
	ns := nstest.New(t)
	// Fast Open for client and server (bits 1 and 2), and metrics saved
	// on close: both are per-namespace sysctls.
	ns.Run("sysctl", "-q", "-w", "net.ipv4.tcp_fastopen=3")
	ns.Run("sysctl", "-q", "-w", "net.ipv4.tcp_no_metrics_save=0")
	ns.TCPExchange("127.0.0.1", nstest.TCPOptions{})
	ns.TCPExchange("::1", nstest.TCPOptions{Bytes: 1 << 20})
	ns.TCPExchange("127.0.0.2", nstest.TCPOptions{FastOpen: true})
	// With tcp_no_metrics_save, a connection leaves nothing behind.
	ns.Run("sysctl", "-q", "-w", "net.ipv4.tcp_no_metrics_save=1")
	ns.TCPExchange("127.0.0.3", nstest.TCPOptions{})
	ns.Run("sysctl", "-q", "-w", "net.ipv4.tcp_no_metrics_save=0")

	client := genlClient(t, ns)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	show := func() map[string]*schema.View {
		t.Helper()
		views, err := client.Dump(ctx, tcpmetrics.Family, tcpmetrics.Get, nil)
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]*schema.View{}
		for _, v := range views {
			if err := v.Err(); err != nil {
				t.Error(err)
			}
			dst, _, err1 := v.Get("dst")
			src, _, err2 := v.Get("source")
			if err := errors.Join(err1, err2); err != nil {
				t.Error(err)
			}
			byKey[tcpMetricsKey(dst, src)] = v
		}
		return byKey
	}

	// Age grows as we look: read ours before and after ip, and ip's must
	// lie between.
	before := show()
	theirs := ipJSON(t, ns, "ip", "tcp_metrics", "show")
	after := show()
	if len(theirs) != len(before) || len(before) != len(after) {
		t.Fatalf("ip shows %d entries, nlsh %d then %d", len(theirs), len(before), len(after))
	}
	for _, want := range []string{"127.0.0.1 from 127.0.0.1", "::1 from ::1", "127.0.0.2 from 127.0.0.1"} {
		if before[want] == nil {
			t.Errorf("no entry %s; have %v", want, keys(before))
		}
	}
	if before["127.0.0.3 from 127.0.0.1"] != nil {
		t.Errorf("an entry for 127.0.0.3, saved with tcp_no_metrics_save=1")
	}

	compared := 0
	for _, their := range theirs {
		key := tcpMetricsKey(their["dst"], their["source"])
		v, v2 := before[key], after[key]
		if v == nil || v2 == nil {
			t.Errorf("ip shows %s, nlsh does not", key)
			continue
		}
		obj := "tcp_metrics " + key
		get := func(v *schema.View, path ...string) (any, bool) {
			for _, p := range path[:len(path)-1] {
				nest, ok, _ := v.Get(p)
				if v, ok = nest.(*schema.View); !ok {
					return nil, false
				}
			}
			val, ok, err := v.Get(path[len(path)-1])
			if err != nil {
				t.Errorf("%s: %s: %v", obj, path, err)
			}
			return val, ok
		}
		for name, want := range their {
			compared++
			switch name {
			case "dst", "source": // the key: equal by construction
			case "age": // ms, printed as seconds
				a1, _ := get(v, "age")
				a2, _ := get(v2, "age")
				ms := want.(float64) * 1000
				if lo, hi := float64(a1.(uint64)), float64(a2.(uint64)); ms < lo-0.5 || ms > hi+0.5 {
					t.Errorf("%s: age: ip says %vs, nlsh %v ms before and %v ms after", obj, want, lo, hi)
				}
			case "rtt", "rttvar": // rtt_us/8 and rttvar_us/4, as seconds
				shift := map[string]uint{"rtt": 3, "rttvar": 2}[name]
				us, ok := get(v, "vals", name+"_us")
				if !ok {
					t.Errorf("%s: %s: ip prints %v, nlsh has no %s_us", obj, name, want, name)
					continue
				}
				checkField(t, obj, name, ipFloat(float64(us.(uint64)>>shift)/1e6), want)
				// The millisecond metric is the same, coarser.
				ms, _ := get(v, "vals", name)
				if got := max(us.(uint64)/1000, 1); ms != got {
					t.Errorf("%s: %s %v ms does not go with %s_us %v", obj, name, ms, name, us)
				}
			case "cwnd", "ssthresh", "reordering":
				got, _ := get(v, "vals", name)
				checkField(t, obj, name, jsonValue(got), want)
			case "fopen_miss": // sic: ip's name for the Fast Open MSS
				got, _ := get(v, "fopen_mss")
				checkField(t, obj, name, jsonValue(got), want)
			case "fo_cookie":
				got, _ := get(v, "fopen_cookie")
				checkField(t, obj, name, jsonValue(got), want)
			case "fopen_syn_drops":
				got, _ := get(v, name)
				checkField(t, obj, name, jsonValue(got), want)
			case "fopen_syn_drop_ts": // ms, which ip divides by 10^6
				got, _ := get(v, name)
				checkField(t, obj, name, ipFloat(float64(got.(uint64))/1e6), want)
			default:
				t.Errorf("%s: ip prints %s = %v, which this test does not know", obj, name, want)
			}
		}
	}
	if compared < 20 {
		t.Errorf("compared only %d fields", compared)
	}
	t.Logf("compared %d fields of %d entries with ip -j tcp_metrics show", compared, len(theirs))
	fo := before["127.0.0.2 from 127.0.0.1"]
	if fo == nil || !fo.Has("fopen_cookie") || !fo.Has("fopen_mss") {
		t.Errorf("the Fast Open connection left no cookie: %v", fo)
	}

	// get, one entry: the same as the dump's.
	one, err := client.Do(ctx, tcpmetrics.Family, tcpmetrics.Get, schema.Fields{"address": "::1"})
	if err != nil || len(one) != 1 {
		t.Fatalf("get ::1: %v, %d replies", err, len(one))
	}
	for _, f := range []string{"dst", "source", "vals"} {
		got, _ := ourField(one[0], f)
		want, _ := ourField(before["::1 from ::1"], f)
		checkField(t, "get ::1", f, got, want)
	}

	// delete, as ip tcp_metrics delete sends it: without a source, every
	// entry for the address goes (127.0.0.1 from 127.0.0.2 too, the
	// Fast Open server's); with one, only that entry. The others stay.
	if _, err := client.Do(ctx, tcpmetrics.Family, tcpmetrics.Delete, schema.Fields{"address": "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Do(ctx, tcpmetrics.Family, tcpmetrics.Delete, schema.Fields{"address": "::1", "source": "::1"}); err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, e := range ipJSON(t, ns, "ip", "tcp_metrics", "show") {
		left = append(left, tcpMetricsKey(e["dst"], e["source"]))
	}
	sort.Strings(left)
	if want := without(keys(before), "127.0.0.1 from 127.0.0.1", "127.0.0.1 from 127.0.0.2", "::1 from ::1"); fmt.Sprint(left) != fmt.Sprint(want) {
		t.Errorf("after deleting 127.0.0.1 and ::1, ip shows %v, want %v", left, want)
	}
	for _, op := range []*struct {
		name string
		run  func() error
	}{
		{"get", func() error {
			_, err := client.Do(ctx, tcpmetrics.Family, tcpmetrics.Get, schema.Fields{"address": "127.0.0.1"})
			return err
		}},
		{"delete", func() error {
			_, err := client.Do(ctx, tcpmetrics.Family, tcpmetrics.Delete, schema.Fields{"address": "127.0.0.1"})
			return err
		}},
	} {
		var pe *packet.Error
		if err := op.run(); !errors.As(err, &pe) || pe.Errno != unix.ESRCH {
			t.Errorf("%s of a deleted entry: %v, want ESRCH", op.name, err)
		}
	}

	// flush, as ip tcp_metrics flush sends it: nothing left.
	if _, err := client.Do(ctx, tcpmetrics.Family, tcpmetrics.Flush, nil); err != nil {
		t.Fatal(err)
	}
	if rest := ipJSON(t, ns, "ip", "tcp_metrics", "show"); len(rest) != 0 {
		t.Errorf("after flush ip shows %v", rest)
	}
	if rest := show(); len(rest) != 0 {
		t.Errorf("after flush nlsh shows %v", keys(rest))
	}
}

// keys lists a map's keys in order.
func keys(m map[string]*schema.View) []string { return slices.Sorted(maps.Keys(m)) }

// without is list less the elements drop names.
func without(list []string, drop ...string) []string {
	return slices.DeleteFunc(list, func(s string) bool { return slices.Contains(drop, s) })
}
