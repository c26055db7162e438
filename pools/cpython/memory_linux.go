package cpython

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// treePSS sums the proportional set size of root and every descendant, from
// /proc/PID/smaps_rollup; ok is false when root's cannot be read.
func treePSS(root int) (int64, bool) {
	var total int64
	seen := map[int]bool{}
	todo := []int{root}
	for len(todo) > 0 {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[pid] || len(seen) > 4096 {
			continue
		}
		seen[pid] = true
		pss, ok := processPSS(pid)
		if !ok {
			if pid == root {
				return 0, false
			}
			continue // ended meanwhile
		}
		total += pss
		todo = append(todo, childrenOf(pid)...)
	}
	return total, true
}

// processPSS reads one process's Pss line, in bytes.
func processPSS(pid int) (int64, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/smaps_rollup")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "Pss:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}

// childrenOf lists pid's children, from every thread's children file.
func childrenOf(pid int) []int {
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		data, err := os.ReadFile(dir + t.Name() + "/children")
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if c, err := strconv.Atoi(f); err == nil {
				out = append(out, c)
			}
		}
	}
	return out
}
