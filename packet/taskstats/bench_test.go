package taskstats_test

import (
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/taskstats"
)

// BenchmarkTaskstatsDecode decodes a version-16 reply and reads the
// members getdelays prints most: comm, pid, CPU and block I/O delays and
// context switches, through the reply's lifted fields.
func BenchmarkTaskstatsDecode(b *testing.B) {
	msg := reply(2, 4, 1, 4321, stats16(16))
	names := []string{"ac_comm", "ac_pid", "cpu_count", "cpu_delay_total", "blkio_delay_total", "nvcsw", "nivcsw"}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		v, err := schema.Decode(taskstats.Get.Reply, msg)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range names {
			if _, ok, _ := v.Get(name); !ok {
				b.Fatalf("%s missing", name)
			}
		}
	}
}

// BenchmarkTaskstatsStruct reads the same members from the struct view
// itself, as a caller does that reads many: one lookup of the nest.
func BenchmarkTaskstatsStruct(b *testing.B) {
	msg := reply(2, 4, 1, 4321, stats16(16))
	names := []string{"ac_comm", "ac_pid", "cpu_count", "cpu_delay_total", "blkio_delay_total", "nvcsw", "nivcsw"}
	b.ReportAllocs()
	for b.Loop() {
		v, err := schema.Decode(taskstats.Get.Reply, msg)
		if err != nil {
			b.Fatal(err)
		}
		st, ok := taskstats.Stats(v)
		if !ok {
			b.Fatal("no stats")
		}
		for _, name := range names {
			if _, ok, _ := st.Get(name); !ok {
				b.Fatalf("%s missing", name)
			}
		}
	}
}

// BenchmarkExitDecode decodes the hand-made exit record (exitRecord), reads
// the members it carries through the lifted fields, and asks whether it
// has its thread group's part.
func BenchmarkExitDecode(b *testing.B) {
	msg := testhex.Decode(b, exitRecord)
	names := []string{"pid", "ac_exitcode", "ac_flag", "ac_nice"}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		v, err := schema.Decode(taskstats.Exit.Message, msg)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range names {
			if _, ok, _ := v.Get(name); !ok {
				b.Fatalf("%s missing", name)
			}
		}
		if !taskstats.HasGroup(v) {
			b.Fatal("no group part")
		}
	}
}
