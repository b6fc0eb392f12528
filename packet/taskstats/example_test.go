package taskstats_test

import (
	"encoding/hex"
	"fmt"

	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

// Version 15 moved every member after the first delay category; version
// 16 put them back and appended the maximums and minimums instead.
func ExampleLayout() {
	for _, version := range []uint16{14, 15, 16, 17} {
		def := taskstats.Layout(version)
		fmt.Printf("v%d: %d bytes, ac_comm at %d, cpu_delay_max at %v\n",
			version, def.Size, def.Field("ac_comm").Offset, offset(def.Field("cpu_delay_max")))
	}
	// Output:
	// v14: 432 bytes, ac_comm at 80, cpu_delay_max at none
	// v15: 560 bytes, ac_comm at 128, cpu_delay_max at 32
	// v16: 560 bytes, ac_comm at 80, cpu_delay_max at 432
	// v17: 688 bytes, ac_comm at 80, cpu_delay_max at 432
}

func offset(f *schema.Field) any {
	if f == nil {
		return "none"
	}
	return f.Offset
}

// An exit record, as the kernel unicasts it to a socket registered with
// Register: the task's part reads like a get's reply, and the last thread
// of a group of several also carries the group's sums.
func ExampleExit() {
	payload, _ := hex.DecodeString(exitRecord) // genlmsghdr onwards
	v, err := schema.Decode(taskstats.Exit.Message, payload)
	if err != nil {
		panic(err)
	}
	pid, _, _ := v.Get("pid")
	status, _, _ := v.Get("ac_exitcode")
	fmt.Printf("pid %d exited with status %d\n", pid, status.(uint64)>>8)
	if taskstats.HasGroup(v) {
		g, _ := schema.Decode(taskstats.ExitGroup, payload)
		tgid, _, _ := g.Get("tgid")
		cpu, _, _ := g.Get("cpu_count")
		fmt.Printf("thread group %d waited for a CPU %d times\n", tgid, cpu)
	}
	// Output:
	// pid 4321 exited with status 3
	// thread group 4320 waited for a CPU 41 times
}
