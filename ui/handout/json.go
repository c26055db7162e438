package handout

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
	"github.com/coreography/coreography/lessons"
)

// records writes one JSON line per run: the fields of `run --json`, then lesson, step
// and run (from 1), what the run ran, and, on the run the prediction is about, its
// outcome.
func (p *handout) records(step int, specs []experiment.Spec, runs []timeline.Stats, pr *lessons.Predict, j judgement) error {
	about := -1
	if j.judged {
		about = questionRun(pr.Quotes(), len(runs))
	}
	for ri, stats := range runs {
		rec := recordAbout{Lesson: p.l.ID, Step: step + 1, Run: ri + 1}
		if ri < len(specs) {
			rec.ran(specs[ri])
		}
		if ri == about {
			rec.PredictedOK, rec.Answer, rec.MeasuredChoice = &j.ok, &pr.Answer, &j.measured
			rec.Question = &pr.Question
			for _, c := range pr.Choices {
				rec.Choices = append(rec.Choices, c.Text)
			}
			rec.Caveat = strings.Join(p.caveats, "; ")
		}
		line, err := recordLine(stats, rec)
		if err != nil {
			return err
		}
		if _, err := p.w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// questionRun is the index of the run a prediction is about: the latest run its
// conditions quote. "run2.wall_s" quotes run 2; a name without a run (wall_s,
// faster_than_run1, serial_fraction) stands for the last run, as lessons.Measured
// says. A question comparing run 2 with run 1 is about run 2, the one it asks after.
func questionRun(names []string, runs int) int {
	latest := -1
	for _, name := range names {
		n := runs
		if rest, ok := strings.CutPrefix(name, "run"); ok {
			if digits, _, ok := strings.Cut(rest, "."); ok {
				if v, err := strconv.Atoi(digits); err == nil && v >= 1 && v <= runs {
					n = v
				}
			}
		}
		latest = max(latest, n-1)
	}
	return latest
}

// recordAbout is what a record adds to the run's figures.
type recordAbout struct {
	Lesson string `json:"lesson"`
	Step   int    `json:"step"`
	Run    int    `json:"run"`
	// What ran, as the engine ran it (defaults filled in): the spec in the lesson's
	// words, its tasks, and the two knobs the figures most depend on. chunk_size is
	// 0 outside the chunked models (processes, py-processes, py-pool),
	// switch_interval_s 0 outside gil and py-threads.
	Spec           string   `json:"spec"`
	TaskSpec       string   `json:"task_spec"`
	ChunkSize      int      `json:"chunk_size"`
	SwitchInterval float64  `json:"switch_interval_s"`
	StartMethod    string   `json:"start_method,omitempty"`
	CancelAfter    float64  `json:"cancel_after_s,omitempty"`
	Question       *string  `json:"question,omitempty"` // the prediction asked about this run
	Choices        []string `json:"choices,omitempty"`
	PredictedOK    *bool    `json:"predicted_ok,omitempty"`
	Answer         *string  `json:"answer,omitempty"`
	MeasuredChoice *string  `json:"measured_choice,omitempty"`
	// Caveat says the verdict stands on a run that stayed disturbed, judged anyway, or
	// on the lesson's reference run instead ("run 1 on a disturbed run: others took 38%").
	Caveat string `json:"verdict_caveat,omitempty"`
}

// ran fills in what the spec ran.
func (r *recordAbout) ran(spec experiment.Spec) {
	n := spec.Normalized()
	r.Spec, r.TaskSpec = n.String(), n.Tasks.String()
	r.ChunkSize = n.ChunkSize // Normalized fills it in for the chunked models only
	r.SwitchInterval = n.SwitchInterval.Seconds()
	if n.Model == experiment.PyThreads && n.SwitchInterval == 0 {
		r.SwitchInterval = experiment.DefaultSwitchInterval.Seconds() // CPython's own default
	}
	r.StartMethod = n.StartMethod
	r.CancelAfter = n.CancelAfter.Seconds()
}

// recordLine is one JSON object: the stats' own fields followed by about's, and a
// newline.
func recordLine(stats timeline.Stats, about recordAbout) ([]byte, error) {
	figures, err := stats.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var extra bytes.Buffer
	enc := json.NewEncoder(&extra)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(about); err != nil {
		return nil, err
	}
	// Two objects made one: {figures…} and {about…} become {figures…,about…}.
	figures = bytes.TrimSuffix(bytes.TrimSpace(figures), []byte("}"))
	return append(append(figures, ','), extra.Bytes()[1:]...), nil
}
