package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/speedup"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/internal/undisturbed"
)

// scaleReport is what scale --json prints.
type scaleReport struct {
	Points []speedup.Point `json:"points"`
	Amdahl speedup.Amdahl  `json:"amdahl"`
}

func addScaleCommand(root *cobra.Command) {
	var flags specOptions
	var workers string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "scale",
		Short: "Run one experiment over a range of worker counts and draw its speed-up curve",
		Long: `Run the experiment on each worker count: for real where this machine has the
cores, on sim's model machine beyond them (or everywhere with --sim). Fit
Amdahl's law to the points and draw the measured points, the simulated ones,
the fitted law and the ideal line.`,
		Example: `  coreography scale --model processes --tasks 'cpu(200ms) then 16*cpu(100ms)' --workers 1,2,4,8,16,32,64
  coreography scale --model threads --tasks '64*cpu(20ms)' --workers 1,2,4,8 --sim --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			counts, err := parseWorkerList(workers)
			if err != nil {
				return err
			}
			report, err := runScale(cmd.Context(), flags, counts)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, report)
			}
			return printScale(out, report)
		},
	}
	flags.bind(cmd, specBinding{tasksRequired: true, workerList: true})
	cmd.Flags().StringVar(&workers, "workers", "1,2,4,8,16,32,64", "worker counts, comma-separated, from 1 to 1024")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"points":[…],"amdahl":{…}} instead of the plot`)
	root.AddCommand(cmd)
}

// parseWorkerList reads "1,2,4,8": increasing or not, each 1 to MaxSimWorkers.
func parseWorkerList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > experiment.MaxSimWorkers {
			return nil, usageError("--workers %q: %q is not a worker count from 1 to %d", s, part, experiment.MaxSimWorkers)
		}
		out = append(out, n)
	}
	return out, nil
}

// runScale runs one point per worker count and fits the law. Each point's speed-up
// is against one worker of the same source (real or sim): a speed-up is a ratio within
// one engine, so a model a few per cent off the real machine shifts no curve. A source
// with no one-worker point takes sim's (cheap), or the ideal serial time for real.
func runScale(ctx context.Context, flags specOptions, counts []int) (scaleReport, error) {
	engines := newEngines()
	var report scaleReport
	base := map[string]time.Duration{}
	for _, n := range counts {
		st, err := scalePoint(ctx, engines, flags, n)
		if err != nil {
			return report, err
		}
		if _, ok := base[st.Source]; !ok && n == 1 {
			base[st.Source] = st.Wall
		}
		report.Points = append(report.Points, speedup.Point{Workers: n, Cores: st.Cores, Wall: st.Wall, Source: st.Source, Disturbed: st.Disturbed})
	}
	planned := map[string]bool{} // sources whose base is the planned serial time (scaleBase)
	for i, p := range report.Points {
		b, ok := base[p.Source]
		if !ok {
			var err error
			if b, err = scaleBase(ctx, engines, flags, p.Source); err != nil {
				return report, err
			}
			base[p.Source], planned[p.Source] = b, p.Source != timeline.SourceSim
		}
		speedup.SetSpeedups(report.Points[i:i+1], b)
		report.Points[i].SpeedupVs = timeline.SpeedupMeasured
		if planned[p.Source] {
			report.Points[i].SpeedupVs = timeline.SpeedupPlanned
		}
	}
	report.Amdahl = speedup.FitAmdahl(report.Points)
	return report, nil
}

// scalePoint runs the experiment on n workers: for real where this machine has the
// cores for them, else (or with --sim) in sim with as many cores as workers. --cores,
// where given, holds every point to that many cores, real or simulated. A real point
// that other programs disturbed is run again as every run is (undisturbed).
func scalePoint(ctx context.Context, engines experiment.Runner, flags specOptions, n int) (timeline.Stats, error) {
	f := flags
	f.workers = n
	f.sim = flags.sim || n > runtime.NumCPU()
	if f.sim && flags.cores == 0 {
		f.cores = min(n, experiment.MaxSimCores)
	}
	if !f.sim {
		f.profile = ""
	}
	spec, err := f.spec()
	if err != nil {
		return timeline.Stats{}, err
	}
	res, err := undisturbed.Run(ctx, engines, spec, undisturbed.Default)
	if err != nil {
		return res.Stats, exitFor(ctx, fmt.Errorf("%d workers: %w", n, err))
	}
	return res.Stats, nil
}

// scaleBase is the one-worker wall for a source that had no one-worker point: sim's
// is simulated (it costs milliseconds); a real one would take the whole serial time,
// so real points are compared with the planned work instead.
func scaleBase(ctx context.Context, engines experiment.Runner, flags specOptions, source string) (time.Duration, error) {
	if source == "sim" {
		flags.sim = true
		st, err := scalePoint(ctx, engines, flags, 1)
		return st.Wall, err
	}
	spec, err := flags.spec()
	if err != nil {
		return 0, err
	}
	return spec.Meta().IdealSerial, nil
}

func printScale(out io.Writer, r scaleReport) error {
	fmt.Fprint(out, speedup.Plot(r.Points, r.Amdahl, plotWidth(), 14, os.Getenv("NO_COLOR") == "" && isTerminal()))
	fmt.Fprintln(out)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "workers\tcores\twall s\tspeed-up\tagainst\tsource\t")
	for _, p := range r.Points {
		fmt.Fprintf(tw, "%d\t%d\t%.3f\t%.2f×\t%s\t%s\t\n", p.Workers, p.Cores, p.WallS, p.Speedup, p.SpeedupVs, p.Source)
	}
	tw.Flush()
	_, err := fmt.Fprintln(out, "\n"+amdahlLine(r.Amdahl))
	return err
}

// amdahlLine says what the fit means; a serial fraction of 0 sets no cap to name.
func amdahlLine(a speedup.Amdahl) string {
	if !a.Capped() {
		return fmt.Sprintf("Amdahl's law fits a serial fraction of %.3f: these points show no serial part, so the law sets no cap on the speed-up.", a.SerialFraction)
	}
	return fmt.Sprintf("Amdahl's law fits a serial fraction of %.3f: the fitted law levels off near %.1f× speed-up\n(a fit to these points, not a wall: a run may sit a little above it).", a.SerialFraction, a.MaxSpeedup)
}

// plotWidth leaves room for the y-axis labels beside the plot.
func plotWidth() int { return min(max(terminalWidth()-12, 30), 100) }

func isTerminal() bool { return term.IsTerminal(int(os.Stdout.Fd())) }
