package lessons

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/coreography/coreography/internal/inputfile"
)

// Progress is what a learner has done: steps seen and predictions made, per lesson,
// and where they were last. It is safe for concurrent use.
type Progress struct {
	path string
	mu   sync.Mutex
	data progressFile
}

// progressFile is the JSON kept on disk. Steps are indexes into Lesson.Steps.
type progressFile struct {
	Version int                        `json:"version"`
	Lessons map[string]*lessonProgress `json:"lessons"`
	Last    *place                     `json:"last,omitempty"`
}

type lessonProgress struct {
	Seen        []int              `json:"seen"`
	Predictions map[int]prediction `json:"predictions,omitempty"`
}

type prediction struct {
	Choice string    `json:"choice"`
	Right  bool      `json:"right"`
	At     time.Time `json:"at"`
}

type place struct {
	Lesson string    `json:"lesson"`
	Step   int       `json:"step"`
	At     time.Time `json:"at"`
}

const progressVersion = 1

// maxProgressBytes caps the progress file: a learner who finished every lesson has a
// few KB; anything far larger is not ours and is not read.
const maxProgressBytes = 4 << 20

// DefaultProgressPath is $XDG_STATE_HOME/coreography/progress.json, by default
// ~/.local/state/coreography/progress.json.
// It is "" when neither XDG_STATE_HOME nor HOME is set.
func DefaultProgressPath() string {
	return xdgPath("XDG_STATE_HOME", filepath.Join(".local", "state"), "coreography", "progress.json")
}

// LoadProgress reads the learner's progress from path ("" means DefaultProgressPath()).
// A missing file is a fresh start. A corrupt file is renamed to *.corrupt-<time> and
// reported in the error, and an empty Progress is returned: losing progress is sad,
// but never a reason not to start.
func LoadProgress(path string) (*Progress, error) {
	if path == "" {
		path = DefaultProgressPath()
	}
	p := &Progress{path: path, data: progressFile{Version: progressVersion, Lessons: map[string]*lessonProgress{}}}
	if path == "" {
		return p, errNoHome
	}
	raw, err := inputfile.ReadFile(path, maxProgressBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, fmt.Errorf("progress %s: %w", path, err)
	}
	var data progressFile
	if err := json.Unmarshal(raw, &data); err != nil || data.Version != progressVersion {
		if err == nil {
			err = fmt.Errorf("unknown version %d", data.Version)
		}
		aside, rerr := setAside(path)
		if rerr != nil {
			return p, fmt.Errorf("progress %s is corrupt (%v) and could not be set aside: %w", path, err, rerr)
		}
		return p, fmt.Errorf("progress %s was corrupt (%v): kept as %s, starting afresh", path, err, aside)
	}
	if data.Lessons == nil {
		data.Lessons = map[string]*lessonProgress{}
	}
	p.data = data
	return p, nil
}

func (p *Progress) lesson(id string) *lessonProgress {
	lp := p.data.Lessons[id]
	if lp == nil {
		lp = &lessonProgress{}
		p.data.Lessons[id] = lp
	}
	return lp
}

// Seen records that the learner saw step (an index into Lesson.Steps).
func (p *Progress) Seen(lessonID string, step int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp := p.lesson(lessonID)
	if i, found := slices.BinarySearch(lp.Seen, step); !found {
		lp.Seen = slices.Insert(lp.Seen, i, step)
	}
	p.data.Last = &place{Lesson: lessonID, Step: step, At: time.Now().UTC()}
}

// Predicted records the learner's choice at a step's prediction and whether the run
// proved it right.
func (p *Progress) Predicted(lessonID string, step int, choice string, right bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp := p.lesson(lessonID)
	if lp.Predictions == nil {
		lp.Predictions = map[int]prediction{}
	}
	lp.Predictions[step] = prediction{Choice: choice, Right: right, At: time.Now().UTC()}
}

// Prediction returns what the learner predicted at a step, if anything.
func (p *Progress) Prediction(lessonID string, step int) (choice string, right, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if lp := p.data.Lessons[lessonID]; lp != nil {
		if pr, found := lp.Predictions[step]; found {
			return pr.Choice, pr.Right, true
		}
	}
	return "", false, false
}

// Status says whether the learner has not started, started or seen every step of l.
func (p *Progress) Status(l *Lesson) Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp := p.data.Lessons[l.ID]
	if lp == nil || len(lp.Seen) == 0 {
		return New
	}
	for i := range l.Steps {
		if _, found := slices.BinarySearch(lp.Seen, i); !found {
			return InProgress
		}
	}
	return Done
}

// Score counts the learner's judged predictions in l: how many a run proved right,
// of how many were judged. A prediction made again counts as its latest.
func (p *Progress) Score(l *Lesson) (right, judged int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lp := p.data.Lessons[l.ID]
	if lp == nil {
		return 0, 0
	}
	for i, st := range l.Steps {
		if pr, ok := lp.Predictions[i]; ok && st.Predict != nil {
			judged++
			if pr.Right {
				right++
			}
		}
	}
	return right, judged
}

// Resume is the lesson and step the learner saw last: where "continue" takes them.
func (p *Progress) Resume() (lessonID string, step int, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.data.Last == nil {
		return "", 0, false
	}
	return p.data.Last.Lesson, p.data.Last.Step, true
}

// Save writes the progress atomically: to a temporary file beside it, then renamed
// over it, so a crash leaves the old file or the new one, never half of one.
//
// Another instance of the app may have saved since this one loaded: what it saved is
// read again and merged in first (steps seen are a union; of two predictions at a
// step, or two last places, the later wins), so neither loses the other's updates.
func (p *Progress) Save() error {
	if p.path == "" {
		return errNoHome
	}
	p.mu.Lock()
	if raw, err := inputfile.ReadFile(p.path, maxProgressBytes); err == nil {
		var disk progressFile
		if json.Unmarshal(raw, &disk) == nil && disk.Version == progressVersion {
			p.data.merge(disk)
		}
	}
	raw, err := json.MarshalIndent(p.data, "", "  ")
	p.mu.Unlock()
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	dir := filepath.Dir(p.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(p.path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(append(raw, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("progress %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("progress %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("progress %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	return nil
}

// merge adds what other holds and f does not.
func (f *progressFile) merge(other progressFile) {
	for id, olp := range other.Lessons {
		if olp == nil {
			continue
		}
		lp := f.Lessons[id]
		if lp == nil {
			f.Lessons[id] = olp
			continue
		}
		for _, step := range olp.Seen {
			if i, found := slices.BinarySearch(lp.Seen, step); !found {
				lp.Seen = slices.Insert(lp.Seen, i, step)
			}
		}
		for step, op := range olp.Predictions {
			if lp.Predictions == nil {
				lp.Predictions = map[int]prediction{}
			}
			if mine, ok := lp.Predictions[step]; !ok || op.At.After(mine.At) {
				lp.Predictions[step] = op
			}
		}
	}
	if other.Last != nil && (f.Last == nil || other.Last.At.After(f.Last.At)) {
		f.Last = other.Last
	}
}

// setAside renames a corrupt progress file to a name no other corruption has used:
// path.corrupt-<time to the nanosecond>, with -2, -3… if even that is taken.
func setAside(path string) (string, error) {
	base := fmt.Sprintf("%s.corrupt-%s", path, time.Now().Format("20060102-150405.000000000"))
	for n := 1; ; n++ {
		aside := base
		if n > 1 {
			aside = fmt.Sprintf("%s-%d", base, n)
		}
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			return aside, os.Rename(path, aside)
		}
		if n > 1000 {
			return "", fmt.Errorf("no free name beside %s", path)
		}
	}
}
