// Command measure runs commands alternately, several times each, and
// reports each one's median whole-process wall time and max RSS, and the
// median of its per-round ratios against the first command (the floor).
// With -reset, a command runs before each measured one, untimed, to put
// the kernel back in the same state.
//
//	measure -runs 7 -- 'raw:rawdump -netns b' 'nlsh:nlshdump -netns b'
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

type result struct {
	wall time.Duration
	rss  int64 // KiB
}

func run(cmdline string) result {
	args := strings.Fields(cmdline)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	if strings.HasPrefix(args[0], "ip") {
		cmd.Stdout = nil // ip -j output goes to /dev/null, as in a pipeline
	}
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s: %v", cmdline, err)
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return result{wall: wall, rss: ru.Maxrss}
}

func median[T int64 | float64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func main() {
	runs := flag.Int("runs", 7, "runs of each command")
	reset := flag.String("reset", "", "command to run, untimed, before each measured one")
	title := flag.String("title", "", "heading printed above the table")
	flag.Parse()
	var names, cmds []string
	for _, a := range flag.Args() {
		name, cmd, ok := strings.Cut(a, ":")
		if !ok {
			log.Fatalf("want NAME:COMMAND, got %q", a)
		}
		names = append(names, name)
		cmds = append(cmds, cmd)
	}
	walls := make([][]time.Duration, len(cmds))
	rsses := make([][]int64, len(cmds))
	ratios := make([][]float64, len(cmds))
	for range *runs {
		var floor time.Duration
		for i, c := range cmds {
			if *reset != "" {
				// The reset may fail harmlessly (flushing a table that
				// does not exist yet).
				args := strings.Fields(*reset)
				_ = exec.Command(args[0], args[1:]...).Run()
			}
			r := run(c)
			if i == 0 {
				floor = r.wall
			}
			walls[i] = append(walls[i], r.wall)
			rsses[i] = append(rsses[i], r.rss)
			ratios[i] = append(ratios[i], float64(r.wall)/float64(floor))
		}
	}
	if *title != "" {
		fmt.Printf("\n### %s\n\n", *title)
	}
	fmt.Printf("| command | wall (median of %d) | max RSS | ratio to %s |\n|---|---|---|---|\n", *runs, names[0])
	for i := range cmds {
		fmt.Printf("| %s | %.3f s | %.1f MiB | %.2fx |\n", names[i], median(walls[i]).Seconds(), float64(median(rsses[i]))/1024, median(ratios[i]))
	}
}
