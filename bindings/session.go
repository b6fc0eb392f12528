// Package bindings holds what every Starlark binding package shares: the
// Session a script's requests run in (its network namespace, its
// permission mode, its sockets), the transport that opens those sockets,
// and the conventions of arguments, errors and results.
//
// Family packages (bindings/ip, ...) build their modules on it; the
// runtime creates one Session per interpreter and passes it down.
package bindings

import (
	"context"
	"fmt"
	"io"
	"iter"
	"sync"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
)

// Mode is what a script may do to the network.
type Mode uint8

const (
	// Full lets every request through.
	Full Mode = iota
	// ReadOnly refuses every mutating request before it is sent.
	ReadOnly
	// DryRun prints every mutating request, decoded, and does not send it.
	// Reads still go to the kernel.
	DryRun
)

func (m Mode) String() string {
	switch m {
	case Full:
		return "full"
	case ReadOnly:
		return "read-only"
	case DryRun:
		return "dry-run"
	}
	return fmt.Sprintf("mode(%d)", uint8(m))
}

// Conn is one netlink socket as the bindings use it. *netlink.Conn is one.
type Conn interface {
	objects.Conn
	JoinGroup(group uint32) error
	Notifications(ctx context.Context) iter.Seq2[packet.Message, error]
	Close() error
}

// Transport opens sockets. The default is the kernel; tests and embedders
// may plug in another.
type Transport interface {
	// Dial opens a socket of the netlink protocol proto in the network
	// namespace netns ("" for the interpreter's own).
	Dial(proto int, netns string) (Conn, error)
}

// Kernel is the Transport of real netlink sockets.
type Kernel struct{}

// Dial opens a netlink socket, inside netns if it is not empty.
func (Kernel) Dial(proto int, netns string) (Conn, error) {
	return netlink.Dial(proto, &netlink.Config{NetNS: netns})
}

// Session is where a script's requests go: one network namespace, one
// permission mode, one transport, and the sockets opened there so far (one
// per protocol, opened on first use). A Session is safe for concurrent use.
type Session struct {
	netns     string
	mode      Mode
	transport Transport
	dryRun    func(string)

	mu      sync.Mutex
	conns   map[int]Conn
	genl    *genetlink.Client
	subs    []*Session
	tracked map[io.Closer]bool
	// families are the generic families with a schema that modules
	// script, by name; sessions in other namespaces share them.
	families *families
}

// families maps a generic family's name to its schema and module.
type families struct {
	mu     sync.Mutex
	byName map[string]ScriptedFamily
}

// ScriptedFamily is a generic family with a schema, and the module whose
// functions send its operations.
type ScriptedFamily struct {
	Module string
	Spec   *genl.FamilySpec
	// Rewrite, when set, turns a notification's payload into what its
	// schema reads best before it is decoded: ethtool names the bits of
	// the compact bitsets its notifications carry.
	Rewrite func(ctx context.Context, ev *genl.Event, payload []byte) ([]byte, error)
}

// NewSession returns a Session. dryRun receives each request a DryRun
// session does not send, as one line of text; nil discards them.
func NewSession(netns string, mode Mode, t Transport, dryRun func(string)) *Session {
	if t == nil {
		t = Kernel{}
	}
	if dryRun == nil {
		dryRun = func(string) {}
	}
	return &Session{netns: netns, mode: mode, transport: t, dryRun: dryRun, conns: map[int]Conn{},
		families: &families{byName: map[string]ScriptedFamily{}}}
}

// AddFamily records that a module scripts a generic family, so that
// genl.monitor reads its notifications by the family's schema.
func (s *Session) AddFamily(f ScriptedFamily) {
	s.families.mu.Lock()
	defer s.families.mu.Unlock()
	s.families.byName[f.Spec.Name] = f
}

// Family returns the scripted family called name, if a module added it.
func (s *Session) Family(name string) (ScriptedFamily, bool) {
	s.families.mu.Lock()
	defer s.families.mu.Unlock()
	f, ok := s.families.byName[name]
	return f, ok
}

// NetNS returns the session's network namespace, "" for the interpreter's
// own.
func (s *Session) NetNS() string { return s.netns }

// Mode returns the session's permission mode.
func (s *Session) Mode() Mode { return s.mode }

// Transport returns the session's transport.
func (s *Session) Transport() Transport { return s.transport }

// InNetNS returns a session with the same mode and transport bound to
// another namespace. It is closed with s.
func (s *Session) InNetNS(netns string) *Session {
	sub := NewSession(netns, s.mode, s.transport, s.dryRun)
	sub.families = s.families
	s.mu.Lock()
	s.subs = append(s.subs, sub)
	s.mu.Unlock()
	return sub
}

// Conn returns the session's socket of protocol proto, opening it first if
// needed.
func (s *Session) Conn(proto int) (Conn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.conns[proto]; ok {
		return c, nil
	}
	c, err := s.transport.Dial(proto, s.netns)
	if err != nil {
		return nil, err
	}
	s.conns[proto] = c
	return c, nil
}

// Genetlink returns the session's generic netlink client, on its
// NETLINK_GENERIC socket, whose Resolver remembers family ids for the
// session's namespace. Every generic family module shares it.
func (s *Session) Genetlink() (*genetlink.Client, error) {
	c, err := s.Conn(unix.NETLINK_GENERIC)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.genl == nil {
		s.genl = genetlink.NewClient(c, nil)
	}
	return s.genl, nil
}

// Subscribe opens a socket of its own for a subscription to groups; the
// caller closes it.
func (s *Session) Subscribe(proto int, groups []uint32) (Conn, error) {
	c, err := s.transport.Dial(proto, s.netns)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		if err := c.JoinGroup(g); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Track makes Close close c too, unless Untrack is called first: for
// subscriptions a script opened and may never iterate.
func (s *Session) Track(c io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tracked == nil {
		s.tracked = map[io.Closer]bool{}
	}
	s.tracked[c] = true
}

// Untrack forgets a Closer given to Track.
func (s *Session) Untrack(c io.Closer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tracked, c)
}

// Close closes every socket of the session and of the sessions made from
// it with InNetNS.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var first error
	for c := range s.tracked {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
		delete(s.tracked, c)
	}
	for p, c := range s.conns {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
		delete(s.conns, p)
	}
	for _, sub := range s.subs {
		if err := sub.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.subs = nil
	return first
}

// Permit checks that the session may run a mutating request. It returns
// (send=false, nil) in a dry run, after printing what would be sent, and an
// error in read-only mode. describe is called only in a dry run.
func (s *Session) Permit(fn string, describe func() string) (send bool, err error) {
	switch s.mode {
	case ReadOnly:
		return false, fmt.Errorf("%s: refused: the interpreter is read-only", fn)
	case DryRun:
		s.dryRun(describe())
		return false, nil
	}
	return true, nil
}

// contextKey is the thread-local key of a run's context.
const contextKey = "nlsh.context"

// SetContext attaches ctx to thread, for the request functions it calls.
// The runtime does this for every thread it creates.
func SetContext(thread *starlark.Thread, ctx context.Context) { thread.SetLocal(contextKey, ctx) }

// Context returns the context attached to thread, or context.Background.
func Context(thread *starlark.Thread) context.Context {
	if ctx, ok := thread.Local(contextKey).(context.Context); ok {
		return ctx
	}
	return context.Background()
}

// Module is a predeclared name a family's bindings provide, such as ip: a
// value built for one Session. The runtime predeclares every Module, and
// netns("NAME") builds them again for that namespace's Session.
type Module interface {
	// Name is the predeclared name, e.g. "ip".
	Name() string
	// New builds the module's value for sess.
	New(sess *Session) starlark.Value
}
