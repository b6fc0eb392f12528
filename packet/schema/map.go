package schema

// Map is a decoded value keyed by name, in the order the message holds its
// entries: the value a Custom codec returns for what reads best as a
// dictionary, such as an ethtool bitset with a mask (each bit's name, and
// whether it is set). It reads as a dict in Starlark and as an object in
// JSON; a Map's values are themselves decoded values.
//
// Encoders that take a map take Fields: a Starlark dict arrives as Fields,
// and a decoded Map turns back into Fields (see Map.Fields) when an object
// is sent back to the kernel.
type Map []MapEntry

// MapEntry is one entry of a Map.
type MapEntry struct {
	Name  string
	Value any
}

// Get returns the value of the entry called name and whether there is one.
func (m Map) Get(name string) (any, bool) {
	for _, e := range m {
		if e.Name == name {
			return e.Value, true
		}
	}
	return nil, false
}

// Fields returns the map's entries as Fields, with each value passed
// through conv (the identity when conv is nil), for encoding it again.
// An entry whose name repeats keeps its last value.
func (m Map) Fields(conv func(any) any) Fields {
	f := make(Fields, len(m))
	for _, e := range m {
		if conv != nil {
			f[e.Name] = conv(e.Value)
		} else {
			f[e.Name] = e.Value
		}
	}
	return f
}
