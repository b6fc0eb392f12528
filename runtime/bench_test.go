package runtime_test

import (
	"testing"

	"github.com/nlsh/nlsh/runtime"
)

// BenchmarkNew measures what every script pays before its first line: an
// interpreter with every default module, over a transport that opens no
// socket until a request needs one.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		in, err := runtime.New(runtime.Options{Transport: &recorder{}})
		if err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
}
