package runtime_test

import (
	"context"
	"fmt"
	"time"

	"github.com/nlsh/nlsh/runtime"
)

// An embedding program runs scripts with the permissions it chooses. Here
// a dry run shows, decoded, the request a script would send, and a
// read-only interpreter refuses it before anything reaches the kernel.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	script := `ip.addr.add("192.0.2.1/24", dev=1)`

	dry, err := runtime.New(runtime.Options{
		Mode:  runtime.DryRun,
		Print: func(msg string) { fmt.Println(msg) },
	})
	if err != nil {
		panic(err)
	}
	defer dry.Close()
	if _, err := dry.Exec(ctx, "setup.star", script); err != nil {
		fmt.Println("error:", err)
	}

	ro, err := runtime.New(runtime.Options{Mode: runtime.ReadOnly})
	if err != nil {
		panic(err)
	}
	defer ro.Close()
	_, err = ro.Exec(ctx, "setup.star", script)
	fmt.Println("error:", err)

	// Output:
	// dry-run: RTM_NEWADDR(REQUEST|ACK|EXCL|CREATE) ip.addr(family="inet", prefixlen=24, scope="global", ifindex=1, address="192.0.2.1", local="192.0.2.1")
	// error: ip.addr.add: refused: the interpreter is read-only
}
