package packet_test

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The fixtures in testdata are real exchanges with the kernel, recorded by
// tests/capture; testdata/README.md tells how. NAME.req.hex is the request
// as it was sent, NAME.hex every datagram of the answer.

// datagrams reads testdata/NAME.hex: hex lines, one message each, with #
// comments. A "# datagram N" comment starts each datagram after the first;
// a file without one is a single datagram.
func datagrams(t testing.TB, name string) [][]byte {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name+".hex"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	var cur []byte
	for line := range strings.Lines(string(text)) {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "# datagram "):
			if cur != nil {
				out = append(out, cur)
			}
			cur = []byte{}
		case strings.HasPrefix(line, "#"):
		default:
			d, err := hex.DecodeString(line)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			cur = append(cur, d...)
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no data", name)
	}
	return out
}

// fixture returns every byte of testdata/NAME.hex, its datagrams back to
// back. Each datagram ends on a message boundary, so the result is still a
// valid stream of messages.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return slices.Concat(datagrams(t, name)...)
}

// fixtureNames lists every reply fixture: the names of testdata/*.hex that
// are not requests.
func fixtureNames(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.hex"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".hex")
		if !strings.HasSuffix(name, ".req") {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		t.Fatal("no fixtures in testdata")
	}
	return names
}

// TestFixturesDocumented keeps testdata/README.md, the fixtures and their
// requests in step: every reply has a request, and the README names both
// the fixture and the kernel it came from.
func TestFixturesDocumented(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("testdata", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range fixtureNames(t) {
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("testdata/README.md does not describe %s", name)
		}
		if len(datagrams(t, name+".req")) != 1 {
			t.Errorf("%s.req.hex: want exactly one datagram", name)
		}
		text, _ := os.ReadFile(filepath.Join("testdata", name+".hex"))
		if !strings.Contains(string(text), "# captured by tests/capture on Linux ") {
			t.Errorf("%s.hex does not name the kernel it was captured on", name)
		}
	}
}
