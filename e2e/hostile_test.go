package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostile runs the binary as a hostile user would, under `ulimit -v 4000000` (4 GB of
// address space), with a scratch home, and returns its exit status and output.
func hostile(t *testing.T, home string, env []string, stdout string, args ...string) (code int, out, errOut string, took time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	script := `ulimit -v 4000000; exec "$0" "$@"`
	if stdout != "" {
		script = `ulimit -v 4000000; exec "$0" "$@" >` + stdout
	}
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", script, binary}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(home, "cache")}, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	start := time.Now()
	err := cmd.Run()
	took = time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("%v: still running after 20 s", args)
	}
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("%v: %v", args, err)
	}
	for _, s := range []string{o.String(), e.String()} {
		if strings.Contains(s, "fatal error") || strings.Contains(s, "goroutine ") || strings.ContainsRune(s, 0x1b) {
			t.Errorf("%v: a crash or an escape sequence in the output:\n%q", args, s)
		}
	}
	return code, o.String(), e.String(), took
}

// Every class of hostile input of issue 7 ends promptly, in one line, with the
// documented status.
func TestHostileInputs(t *testing.T) {
	home := t.TempDir()
	lessonsDir := filepath.Join(home, "config", "coreography", "lessons")
	os.MkdirAll(lessonsDir, 0o755)
	fifo := filepath.Join(home, "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(lessonsDir, "zero.md"))
	syscall.Mkfifo(filepath.Join(lessonsDir, "fifo.md"), 0o600)
	deep := filepath.Join(home, "deep.md")
	os.WriteFile(deep, []byte("---\nid: deep\ntitle: "+strings.Repeat("[", 20_000)+strings.Repeat("]", 20_000)+"\n---\n# x\n"), 0o644)
	esc := filepath.Join(home, "esc.md")
	os.WriteFile(esc, []byte("---\nid: esc\ntitle: \"\\e]0;pwned\\a\"\nminutes: 1\nsummary: s\n---\n# \x1b[2J\x1b]52;c;aGk=\x07\n"), 0o644)
	manySteps := "100000*[" + strings.Repeat("cpu(1ns) ", 5000) + "]"

	for _, c := range []struct {
		name   string
		env    []string
		stdout string
		args   []string
		code   int
		want   string // in stdout or stderr
	}{
		{"replay /dev/zero", nil, "", []string{"replay", "/dev/zero"}, 2, "/dev/zero: not a regular file (a character device)"},
		{"replay a FIFO", nil, "", []string{"replay", fifo}, 2, "not a regular file (a FIFO)"},
		{"check a FIFO", nil, "", []string{"check", fifo}, 1, "fifo.md: cannot read: not a regular file (a FIFO)"},
		{"play /dev/zero", nil, "", []string{"play", "/dev/zero"}, 1, "not a regular file"},
		{"list with special files", nil, "", []string{"list"}, 0, "zero.md: cannot read: not a regular file"},
		{"deep YAML", nil, "", []string{"check", deep}, 1, "deep.md:3:23: YAML nested more than 16 levels"},
		{"escapes", nil, "", []string{"check", esc}, 1, "esc.md:7:3: control character U+001B"},
		{"escapes played", nil, "", []string{"play", esc}, 1, "esc.md:3:9: this value holds a control character"},
		{"steps", nil, "", []string{"run", "--tasks", manySteps}, 2, "500000000 steps in all is more than the limit of 1000000"},
		{"payload", nil, "", []string{"run", "--tasks", "100000*cpu(0ns) in=64MB"}, 2, "of payload in all is more than the 4GB limit"},
		{"worker env", []string{"COREOGRAPHY_WORKER=1"}, "", []string{"--help"}, 0, "Exit status"},
		{"check >/dev/full", nil, "/dev/full", []string{"check", esc}, 1, "no space left on device"},
		{"play ''", nil, "", []string{"play", ""}, 2, `no lesson with id ""`},
		{"TUI without a terminal", nil, "", []string{"open", "gil"}, 2, "needs a terminal on stdout"},
		{"--trace ''", nil, "", []string{"run", "--tasks", "cpu(1ms)", "--trace", ""}, 2, "--trace: give a file name"},
		{"--color on run", nil, "", []string{"run", "--tasks", "cpu(1ms)", "--color", "always"}, 2, "--color is for the full-screen app"},
	} {
		code, out, errOut, took := hostile(t, home, c.env, c.stdout, c.args...)
		if code != c.code || !strings.Contains(out+errOut, c.want) {
			t.Errorf("%s: exit %d, want %d with %q; got:\n%s%s", c.name, code, c.code, c.want, out, errOut)
		}
		if took > 5*time.Second {
			t.Errorf("%s: took %s", c.name, took)
		}
	}
}

// An implausible calibration cache is measured again, not trusted: cpu(100ms) ends.
func TestImplausibleCalibration(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, "cache", "coreography"), 0o755)
	for _, v := range []string{"1e-9", "1e300"} {
		os.WriteFile(filepath.Join(home, "cache", "coreography", "calibration.json"), []byte(`{"ns_per_iter": `+v+`, "goarch": "`+goarch()+`"}`), 0o644)
		code, out, errOut, _ := hostile(t, home, nil, "", "run", "--model", "serial", "--tasks", "2*cpu(100ms)", "--json")
		if code != 0 || !strings.Contains(out, `"ideal_serial_s": 0.2`) {
			t.Errorf("ns_per_iter %s: exit %d\n%s%s", v, code, out, errOut)
		}
	}
}

func goarch() string {
	out, _ := exec.Command("go", "env", "GOARCH").Output()
	return strings.TrimSpace(string(out))
}
