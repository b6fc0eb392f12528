package route_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestNTableFixture decodes a neighbour table dump: per table config,
// parms and stats, then per device parms.
func TestNTableFixture(t *testing.T) {
	tables, devices := 0, 0
	for _, v := range decodeFixture(t, route.NTableMessage, unix.RTM_NEWNEIGHTBL, "ntable_dump") {
		if !v.Has("name") {
			t.Errorf("ntable without a name: %s", v.AppendJSON(nil))
		}
		if v.Has("config") {
			tables++
			cfg, _, _ := v.Get("config")
			want := map[string]string{`"arp_cache"`: "4", `"ndisc_cache"`: "16"}[jsonOf(t, v, "name")]
			if got := jsonOf(t, cfg.(*schema.View), "key_length"); got != want {
				t.Errorf("%s key_length %s, want %s", jsonOf(t, v, "name"), got, want)
			}
			for _, k := range []string{"stats", "thresh1", "thresh2", "thresh3", "gc_interval", "parms"} {
				if !v.Has(k) {
					t.Errorf("table %s lacks %s", jsonOf(t, v, "name"), k)
				}
			}
			st, _, _ := v.Get("stats")
			if !st.(*schema.View).Has("table_fulls") {
				t.Error("stats lacks table_fulls")
			}
		} else {
			devices++
			p, _, _ := v.Get("parms")
			for _, k := range []string{"ifindex", "base_reachable", "queue_lenbytes", "interval_probe_time_ms", "mcast_reprobes"} {
				if !p.(*schema.View).Has(k) {
					t.Errorf("device parms lack %s: %s", k, v.AppendJSON(nil))
				}
			}
		}
	}
	if tables < 2 || devices < 4 {
		t.Errorf("%d tables and %d device entries, want 2 and 4", tables, devices)
	}
}

// TestNTableCodec covers a set request: writable fields encode, the ones
// the kernel only reports do not.
func TestNTableCodec(t *testing.T) {
	v, b := encodeFields(t, route.NTableMessage, schema.Fields{"family": "inet", "name": "arp_cache", "thresh1": 64, "gc_interval": 30000,
		"parms": schema.Fields{"ifindex": 3, "queue": 55, "base_reachable": 20000, "interval_probe_time_ms": 1000}})
	if len(b) < 4 || b[0] != unix.AF_INET || b[1]|b[2]|b[3] != 0 {
		t.Errorf("ndtmsg % x", b[:4])
	}
	if got := jsonOf(t, v, "parms"); got != `{"ifindex":3,"base_reachable":20000,"queue":55,"interval_probe_time_ms":1000}` {
		t.Errorf("parms %s", got)
	}
	roundTripView(t, route.NTableMessage, v)
	var e packet.Encoder
	for _, bad := range []schema.Fields{{"config": schema.Fields{}}, {"stats": schema.Fields{}}, {"parms": schema.Fields{"refcnt": 1}}, {"parms": schema.Fields{"reachable": 1}}} {
		if err := route.NTableMessage.Encode(&e, unix.RTM_SETNEIGHTBL, 0, bad); err == nil {
			t.Errorf("encode %v: no error", bad)
		}
	}
}
