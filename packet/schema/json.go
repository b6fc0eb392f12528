package schema

import (
	"encoding/hex"
	"math"
	"net"
	"net/netip"
	"strconv"
	"unicode/utf8"
)

// FormatPrefix renders a prefix as iproute2 does: a host prefix (/32, /128)
// as the bare address, any other as address/length.
func FormatPrefix(p netip.Prefix) string {
	if p.Bits() == p.Addr().BitLen() {
		return p.Addr().String()
	}
	return p.String()
}

// MarshalJSON encodes the object as a JSON object whose keys are its field
// names, in Fields order. A field whose payload is malformed is left out.
func (v *View) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil), nil }

// AppendJSON appends the object's JSON encoding to b.
func (v *View) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	first := true
	v.Fields(func(f FieldValue) bool {
		if f.Err != nil {
			return true
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendQuote(b, f.Name)
		b = append(b, ':')
		b = AppendJSON(b, f.Value)
		return true
	})
	return append(b, '}')
}

// AppendJSON appends the JSON encoding of a decoded value to b: numbers,
// strings, booleans and lists as themselves, addresses and prefixes as
// text, bytes as hex, and nested views and Maps as objects.
func AppendJSON(b []byte, val any) []byte {
	switch x := val.(type) {
	case nil:
		return append(b, "null"...)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case bool:
		return strconv.AppendBool(b, x)
	case string:
		return appendJSONString(b, x)
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		return append(b, ']')
	case []any:
		b = append(b, '[')
		for i, el := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSON(b, el)
		}
		return append(b, ']')
	case netip.Addr:
		return appendJSONString(b, x.String())
	case netip.Prefix:
		return appendJSONString(b, FormatPrefix(x))
	case net.HardwareAddr:
		return appendJSONString(b, x.String())
	case []byte:
		return appendJSONString(b, hex.EncodeToString(x))
	case *View:
		return x.AppendJSON(b)
	case Map:
		b = append(b, '{')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, e.Name)
			b = append(b, ':')
			b = AppendJSON(b, e.Value)
		}
		return append(b, '}')
	case interface{ MarshalJSON() ([]byte, error) }:
		j, err := x.MarshalJSON()
		if err != nil {
			return append(b, "null"...)
		}
		return append(b, j...)
	}
	return append(b, "null"...)
}

// appendJSONString quotes s as a JSON string. strconv.AppendQuote would
// produce Go escapes such as \x00 that JSON does not have.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
