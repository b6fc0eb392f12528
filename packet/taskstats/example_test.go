package taskstats_test

import (
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
