package schema

// Family is one netlink family's schema: its objects and the requests that
// act on them. Everything generic in nlsh — the object client, the Starlark
// bindings, monitor, help — works from a Family, so a new family is a new
// table, not new machinery.
type Family struct {
	// Name is the family's name, e.g. "route".
	Name string
	// Protocol is the netlink protocol number (unix.NETLINK_ROUTE, ...).
	Protocol int
	// Objects are the kinds of object the family has.
	Objects []*Object
	// TypeNames names message types, e.g. RTM_NEWLINK, for errors and
	// dry-run output. Objects' own types are named by their Names.
	TypeNames map[uint16]string
}

// Object is one kind of object of a family and the requests that act on it.
// A zero message type means the kernel has no such request.
type Object struct {
	// Message is the object's schema.
	Message *Message
	// New creates (and, with NLM_F_REPLACE, replaces) an object; Del
	// deletes one; Get reads one, or lists all with NLM_F_DUMP; Set changes
	// one where the family has a request of its own for that (RTM_SETLINK).
	New, Del, Get, Set uint16
	// Reports is the type of the kernel's messages about the object, in
	// replies and notifications, when the kernel accepts no New request
	// for it (RTM_NEWNETCONF, RTM_NEWNEIGHTBL). It is New otherwise.
	Reports uint16
	// Names names the message types above, e.g. {RTM_NEWLINK: "RTM_NEWLINK"}.
	Names map[uint16]string
	// NoDump is set for objects that can only be read one at a time.
	NoDump bool
	// DumpFilter names the header fields that the kernel, under strict
	// checking, filters a dump by when they are set in the request.
	DumpFilter []string
	// DumpOnly names the DumpFilter fields that only steer a dump request
	// (nexthop groups=True, link ext_mask) and that the objects received
	// do not carry, so they are not matched against them.
	DumpOnly []string
	// Groups are the multicast groups that carry its notifications.
	Groups []uint32
	// Key names the fields that identify one object, for get and delete.
	Key []string
	// GetFields names the fields a get request may carry besides Key,
	// where the kernel takes more (a route lookup's iif, mark, uid).
	GetFields []string
}

// Name returns the object's name, e.g. "link".
func (o *Object) Name() string { return o.Message.Name }

// TypeName names a message type of the object, or returns "".
func (o *Object) TypeName(t uint16) string { return o.Names[t] }

// Object returns the family's object called name, or nil.
func (f *Family) Object(name string) *Object {
	for _, o := range f.Objects {
		if o.Name() == name {
			return o
		}
	}
	return nil
}

// Action is what a message does to its object, as notifications say it.
type Action uint8

// The actions a message type can carry.
const (
	ActionNone Action = iota
	ActionNew
	ActionDel
	ActionGet
	ActionSet
)

func (a Action) String() string {
	return [...]string{"none", "new", "del", "get", "set"}[a]
}

// ByType returns the object a message type belongs to, and what the type
// does, or nil.
func (f *Family) ByType(t uint16) (*Object, Action) {
	for _, o := range f.Objects {
		switch t {
		case o.New, o.Reports:
			if t == 0 {
				continue
			}
			return o, ActionNew
		case o.Del:
			return o, ActionDel
		case o.Get:
			return o, ActionGet
		case o.Set:
			return o, ActionSet
		}
	}
	return nil, ActionNone
}

// TypeName names a message type of the family, such as "RTM_NEWROUTE", or
// returns "".
func (f *Family) TypeName(t uint16) string {
	if n, ok := f.TypeNames[t]; ok {
		return n
	}
	if o, _ := f.ByType(t); o != nil {
		return o.TypeName(t)
	}
	return ""
}
