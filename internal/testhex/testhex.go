// Package testhex reads bytes that tests write out by hand, in hex laid
// out for people: spaces, tabs, newlines and '|' separate fields and are
// ignored.
//
//	b := testhex.Decode(t, "0800 0100 | 2a000000") // an 8-byte u32 attribute
package testhex

import (
	"encoding/hex"
	"strings"
	"testing"
)

var layout = strings.NewReplacer(" ", "", "\n", "", "\t", "", "|", "")

// Decode returns the bytes s spells, failing t when s is not hex.
func Decode(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(layout.Replace(s))
	if err != nil {
		t.Fatalf("bad hex in the test: %v", err)
	}
	return b
}
