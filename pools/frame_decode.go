package pools

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// Reading frame bodies: every field checked against its bound before it is believed.

// bodyDecoder reads varints and bytes off a body, remembering the first problem.
type bodyDecoder struct {
	t   frameType
	b   []byte
	len int // the whole body's length, to say where a problem is
	err error
}

func newBodyDecoder(t frameType, body []byte) *bodyDecoder {
	return &bodyDecoder{t: t, b: body, len: len(body)}
}

func (d *bodyDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = &FrameError{Type: d.t, Msg: fmt.Sprintf("at byte %d: ", d.len-len(d.b)) + fmt.Sprintf(format, args...)}
	}
}

func (d *bodyDecoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("%s: bad or missing varint", what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bounded reads a uvarint that must be at most limit.
func (d *bodyDecoder) bounded(what string, limit uint64) uint64 {
	v := d.uvarint(what)
	if v > limit {
		d.fail("%s: %d is over the limit of %d", what, v, limit)
		return 0
	}
	return v
}

// delta reads a zigzag difference and adds it to base, which must stay in [lo, hi].
func (d *bodyDecoder) delta(what string, base, lo, hi int64) int64 {
	dv := unzigzag(d.uvarint(what))
	if d.err != nil {
		return 0
	}
	v := base + dv
	if (dv > 0 && v < base) || (dv < 0 && v > base) || v < lo || v > hi {
		d.fail("%s: %d%+d is out of range", what, base, dv)
		return 0
	}
	return v
}

func (d *bodyDecoder) bytes(what string, n uint64) []byte {
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail("%s: needs %d bytes, %d left", what, n, len(d.b))
		return nil
	}
	out := d.b[:n:n]
	d.b = d.b[n:]
	return out
}

// count reads how many items follow, each at least minSize bytes, so that a forged
// count cannot make the decoder allocate more than the body could hold.
func (d *bodyDecoder) count(what string, minSize int) int {
	n := d.uvarint(what)
	if d.err == nil && n > uint64(len(d.b)/minSize) {
		d.fail("%s: %d of them cannot fit in %d bytes", what, n, len(d.b))
		return 0
	}
	return int(n)
}

func (d *bodyDecoder) end() error {
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes left over", len(d.b))
	}
	return d.err
}

func decodeHello(body []byte) (helloMsg, error) {
	d := newBodyDecoder(frameHello, body)
	m := helloMsg{Version: d.uvarint("version"), PID: int32(d.bounded("pid", math.MaxInt32))}
	return m, d.end()
}

func decodeFail(body []byte) string { return string(body) }

// decodeChunk decodes a chunk; the payloads alias body.
func decodeChunk(body []byte) (chunkMsg, error) {
	seq, tasks, err := decodeList(frameChunk, body, "task", 4, (*bodyDecoder).task)
	return chunkMsg{Seq: seq, Tasks: tasks}, err
}

// decodeResults decodes a chunk's results; the payloads alias body.
func decodeResults(body []byte) (resultsMsg, error) {
	seq, results, err := decodeList(frameResults, body, "result", 10, (*bodyDecoder).result)
	return resultsMsg{Seq: seq, Results: results}, err
}

// decodeList decodes a body of a sequence number, a count of items (each at least
// minSize bytes) and the items, each read by read; an error names the item and its
// place, and comes with nothing else.
func decodeList[T any](t frameType, body []byte, item string, minSize int, read func(*bodyDecoder, *T)) (uint64, []T, error) {
	d := newBodyDecoder(t, body)
	seq := d.uvarint("seq")
	n := d.count(item+"s", minSize)
	var items []T
	if n > 0 {
		items = make([]T, n)
	}
	for i := range items {
		read(d, &items[i])
		if d.err != nil {
			return 0, nil, fmt.Errorf("%s %d of %d: %w", item, i+1, n, d.err)
		}
	}
	if err := d.end(); err != nil {
		return 0, nil, err
	}
	return seq, items, nil
}

// task reads one task of a chunk.
func (d *bodyDecoder) task(t *wireTask) {
	t.Index = int32(d.bounded("task index", math.MaxInt32))
	if steps := d.count("steps", 2); steps > 0 {
		t.Steps = make([]experiment.Step, steps)
	}
	for j := range t.Steps {
		kind := d.bounded("step kind", uint64(experiment.Hash))
		dur := d.bounded("step duration", uint64(experiment.MaxPlannedWork))
		t.Steps[j] = experiment.Step{Kind: experiment.Kind(kind), D: time.Duration(dur)}
		if t.Steps[j].Kind == experiment.Add {
			t.Steps[j].N = int64(d.bounded("increments", experiment.MaxIncrements))
			t.Steps[j].Sync = experiment.Sync(d.bounded("add sync", uint64(experiment.Shared)))
		}
	}
	t.Out = int64(d.bounded("out size", experiment.MaxPayload))
	t.In = d.bytes("in payload", d.bounded("in size", experiment.MaxPayload))
}

// result reads one result of a chunk's results.
func (d *bodyDecoder) result(r *wireResult) {
	r.Index = int32(d.bounded("task index", math.MaxInt32))
	if crc := d.bytes("in crc", 4); crc != nil {
		r.InCRC = binary.LittleEndian.Uint32(crc)
	}
	r.Err = string(d.bytes("error", d.bounded("error length", maxErrorText)))
	if o := d.bytes("outcome", 1); o != nil {
		if r.Outcome = timeline.Outcome(o[0]); r.Outcome != timeline.Done && r.Outcome != timeline.Failed {
			d.fail("outcome %d is neither done nor failed", o[0])
		}
	}
	r.Start = d.delta("start", 0, math.MinInt64, math.MaxInt64)
	r.End = d.delta("end", r.Start, r.Start, math.MaxInt64)
	r.Out = d.bytes("out payload", d.bounded("out size", experiment.MaxPayload))
}

// decodeEvents calls fn with each event of an events body, in order. On an error the
// events before it have been delivered.
func decodeEvents(body []byte, fn func(timeline.Event)) error {
	d := newBodyDecoder(frameEvents, body)
	var e timeline.Event
	for k := 1; len(d.b) > 0; k++ {
		e.T = d.delta("time", e.T, math.MinInt64, math.MaxInt64)
		e.CPUTime = d.delta("cpu time", e.CPUTime, math.MinInt64, math.MaxInt64)
		e.Task = int32(d.delta("task", int64(e.Task), math.MinInt32, math.MaxInt32))
		e.PID = int32(d.delta("pid", int64(e.PID), math.MinInt32, math.MaxInt32))
		e.TID = int32(d.delta("tid", int64(e.TID), math.MinInt32, math.MaxInt32))
		e.CPU = int16(d.delta("cpu", int64(e.CPU), math.MinInt16, math.MaxInt16))
		st := d.bytes("state", 1)
		if d.err != nil {
			return fmt.Errorf("event %d: %w", k, d.err)
		}
		if e.State = timeline.State(st[0]); e.State >= timeline.NumStates {
			return fmt.Errorf("event %d: %w", k, &FrameError{Type: frameEvents, Msg: fmt.Sprintf("unknown state %d", st[0])})
		}
		fn(e)
	}
	return nil
}
