// Package tcpmetrics is the Starlark module tcp_metrics: the kernel's
// per-destination TCP metrics cache, as `ip tcp_metrics` shows, deletes
// and flushes it.
//
//	for m in tcp_metrics.get():                  # ip tcp_metrics show
//	    print(m.dst, m.source, m.age, m.vals.cwnd, m.vals.rtt_us // 8)
//	m = tcp_metrics.get("10.0.0.2")             # one destination (ESRCH if none)
//	tcp_metrics.delete("10.0.0.2")              # ip tcp_metrics delete 10.0.0.2
//	tcp_metrics.delete("2001:db8::2", source = "2001:db8::1")
//	tcp_metrics.flush()                         # ip tcp_metrics flush
//
// address and source take IPv4 and IPv6 alike; source only narrows a get
// or delete of one address (the kernel filters no dump). An entry has dst, source,
// age (milliseconds), vals (rtt, rttvar, ssthresh, cwnd, reordering,
// rtt_us, rttvar_us, in the kernel's units: rtt_us is microseconds times
// 8, rttvar_us times 4) and, after TCP Fast Open, fopen_mss,
// fopen_syn_drops, fopen_syn_drop_ts and fopen_cookie. delete and flush
// change the kernel: they need write permission and print in a dry run.
package tcpmetrics

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/genl"
	"github.com/nlsh/nlsh/packet/tcpmetrics"
)

// Module is the tcp_metrics module, for the runtime's list of modules.
type Module struct{}

// Name returns "tcp_metrics".
func (Module) Name() string { return "tcp_metrics" }

// New builds the tcp_metrics module for a session: get, delete and flush.
func (Module) New(sess *bindings.Session) starlark.Value {
	return &starlarkstruct.Module{Name: "tcp_metrics", Members: genl.Functions(sess, genl.Binding{
		Module: "tcp_metrics",
		Family: tcpmetrics.Family,
	})}
}
