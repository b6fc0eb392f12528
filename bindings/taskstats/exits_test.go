package taskstats

import (
	"os"
	"strings"
	"testing"

	"go.starlark.net/starlark"
)

// TestCPUList reads the cpus argument's forms into the cpulist the kernel
// parses, and refuses what cannot be one before asking it.
func TestCPUList(t *testing.T) {
	online, err := os.ReadFile("/sys/devices/system/cpu/online")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		cpus starlark.Value
		want string
		err  string
	}{
		{starlark.None, strings.TrimSpace(string(online)), ""},
		{starlark.String("0-3,8"), "0-3,8", ""},
		{starlark.String(" 1\n"), "1", ""},
		{starlark.NewList([]starlark.Value{starlark.MakeInt(2), starlark.MakeInt(0)}), "2,0", ""},
		{starlark.Tuple{starlark.MakeInt(5)}, "5", ""},
		{starlark.String(""), "", `f: cpus: want a cpulist such as "0-3", got ""`},
		{starlark.NewList(nil), "", "f: cpus: want at least one CPU"},
		{starlark.NewList([]starlark.Value{starlark.MakeInt(-1)}), "", "f: cpus: want CPU numbers >= 0, got -1"},
		{starlark.Tuple{starlark.String("0")}, "", `f: cpus: want CPU numbers >= 0, got "0"`},
		{starlark.MakeInt(3), "", "f: cpus: want a cpulist string or a list of CPU numbers, got int"},
	}
	for _, tt := range tests {
		got, err := cpuList("f", tt.cpus)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("%v: error %v, want %q", tt.cpus, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("%v: %q, %v; want %q", tt.cpus, got, err, tt.want)
		}
	}
}
