package timeline

import (
	"encoding/json"
	"math"
	"time"
)

// maxImportPlanned caps the planned groups an imported trace may carry: a spec's
// groups are a handful; more is a file that wants Compute to work for nothing.
const maxImportPlanned = 4096

// appendMeasuredMeta writes otherData's per-task planned times and what other
// programs took from the run, when the trace has them, so a replayed run is judged
// as the live one was: ,"planned":[…],"others":{…}.
func appendMeasuredMeta(b []byte, t *Trace) []byte {
	if len(t.Planned) > 0 {
		data, _ := json.Marshal(t.Planned) // numbers only: cannot fail
		b = append(append(b, `,"planned":`...), data...)
	}
	if t.Others != nil {
		data, _ := json.Marshal(t.Others)
		b = append(append(b, `,"others":`...), data...)
	}
	return b
}

// planned reads otherData.planned: [{"count":N,"each_ns":D}, …].
func (d *chromeReader) planned() {
	d.meta.Planned = d.meta.Planned[:0]
	d.s.array(func() {
		var p Planned
		d.s.object(func(key []byte) {
			switch string(key) {
			case "count":
				p.Count = int(d.ranged("otherData.planned.count", 0, math.MaxInt32))
			case "each_ns":
				p.Each = time.Duration(d.ranged("otherData.planned.each_ns", 0, maxImportSpan))
			default:
				d.s.skip(2)
			}
		})
		if len(d.meta.Planned) == maxImportPlanned {
			d.fail("otherData.planned: more than %d groups", maxImportPlanned)
			return
		}
		d.meta.Planned = append(d.meta.Planned, p)
	})
}

// others reads otherData.others: {"cpu_ns":…,"cores":…,"span_ns":…,"slack_ns":…}.
func (d *chromeReader) others() {
	var o Others
	d.s.object(func(key []byte) {
		switch string(key) {
		case "cpu_ns":
			o.CPU = time.Duration(d.ranged("otherData.others.cpu_ns", 0, maxImportSpan*maxImportLanes))
		case "cores":
			o.Cores = int(d.ranged("otherData.others.cores", 0, maxImportLanes))
		case "span_ns":
			o.Span = time.Duration(d.ranged("otherData.others.span_ns", 0, maxImportSpan))
		case "slack_ns":
			o.Slack = time.Duration(d.ranged("otherData.others.slack_ns", 0, maxImportSpan*maxImportLanes))
		case "queue_ns":
			o.Queue = time.Duration(d.ranged("otherData.others.queue_ns", 0, maxImportSpan*maxImportLanes))
		case "queue_known":
			o.QueueKnown = d.s.peek() == 't'
			d.s.skip(2)
		case "steal_ns":
			o.Steal = time.Duration(d.ranged("otherData.others.steal_ns", 0, maxImportSpan*maxImportLanes))
		case "app_ns":
			o.App = time.Duration(d.ranged("otherData.others.app_ns", 0, maxImportSpan*maxImportLanes))
		default:
			d.s.skip(2)
		}
	})
	d.meta.Others = &o
}
