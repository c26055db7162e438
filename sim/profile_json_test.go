package sim

import (
	"bytes"
	"encoding/json"
	"testing"
)

// cachedThisMachine is a this-machine profile as internal/calibrate caches it, every
// key set to a value of its own: the cache outlives a change to Profile's Go layout,
// so the layout must keep reading it, key for key, and writing it the same.
const cachedThisMachine = `{"name":"this-machine","base_slice_ns":750000,"measured_slice_ns":2900000,` +
	`"task_dispatch_ns":1100,"gil_handoff_ns":41000,"gil_timeout_slack_ns":52000,"gil_switch_cpu_ns":6300,` +
	`"work_stretch":1.07,"proc_startup_ns":1800000,"proc_startup_cpu_ns":1200000,"proc_exit_ns":410000,` +
	`"spawn_gap_ns":260000,"chunk_parent_ns":31000,"chunk_worker_ns":27000,"parent_per_task_ns":900,` +
	`"task_in_chunk_ns":1500,"bytes_per_second":910000000,"loop_step_ns":4100,"loop_task_end_ns":1700,` +
	`"loop_wake_late_ns":66000,"http_latency_ns":95000,"http_cpu_ns":48000,` +
	`"measured":"measured 2026-12-07T18:00:00Z from the real engines on 2 cores","measured_at":"2026-12-07T18:00:00Z",` +
	`"measured_load":0.31}`

func TestCachedProfileReadsAndWritesTheSame(t *testing.T) {
	var p Profile
	dec := json.NewDecoder(bytes.NewReader([]byte(cachedThisMachine)))
	dec.DisallowUnknownFields() // a key Profile no longer has would be lost
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if err := p.Plausible(); err != nil {
		t.Error(err)
	}
	if got, _ := json.Marshal(p); string(got) != cachedThisMachine {
		t.Errorf("the profile writes\n%s\nnot\n%s", got, cachedThisMachine)
	}
}
