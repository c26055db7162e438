package pools

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

func sampleChunk() chunkMsg {
	return chunkMsg{Seq: 7, Tasks: []wireTask{
		{Index: 0, Steps: []experiment.Step{{Kind: experiment.CPU, D: 100 * time.Millisecond}}, In: []byte{}},
		{Index: 1, Steps: []experiment.Step{{Kind: experiment.IO, D: 20 * time.Millisecond}, {Kind: experiment.HTTP, D: 5 * time.Millisecond}}, Out: 1 << 20, In: bytes.Repeat([]byte("abc"), 1000)},
		{Index: 2, Steps: []experiment.Step{{Kind: experiment.Add, N: 1_000_000, Sync: experiment.Shared}, {Kind: experiment.Fail}}, In: []byte{}},
	}}
}

func sampleResults() resultsMsg {
	return resultsMsg{Seq: 7, Results: []wireResult{
		{Index: 0, InCRC: 0xdeadbeef, Out: []byte{}, Outcome: timeline.Done, Start: 1_000_000_000, End: 1_100_000_000},
		{Index: 1, Err: "http(5ms): connection refused", Out: bytes.Repeat([]byte{1, 2}, 300), Outcome: timeline.Done},
		{Index: 2, Out: []byte{}, Outcome: timeline.Failed, Start: 5, End: 7},
	}}
}

func sampleEvents() []timeline.Event {
	return []timeline.Event{
		{T: 1_000_000_000, CPUTime: 5_000, Task: -1, PID: 4312, TID: 4312, CPU: 1, State: timeline.Idle},
		{T: 1_000_050_000, CPUTime: 5_100, Task: 3, PID: 4312, TID: 4312, CPU: 0, State: timeline.Running},
		{T: 1_100_000_000, CPUTime: -1, Task: -1, PID: 4312, TID: 4313, CPU: -1, State: timeline.Off},
	}
}

func encodeChunk(t testing.TB, m chunkMsg) []byte {
	var b bytes.Buffer
	var enc frameEncoder
	if err := enc.writeChunk(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeResults(t testing.TB, m resultsMsg) []byte {
	var b bytes.Buffer
	var enc frameEncoder
	if err := enc.writeResults(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFrameRoundTrip(t *testing.T) {
	stream := appendHello(nil, helloMsg{Version: protocolVersion, PID: 4312})
	stream = append(stream, encodeChunk(t, sampleChunk())...)
	stream = append(stream, encodeResults(t, sampleResults())...)
	stream = appendEvents(stream, sampleEvents())
	stream = appendFail(stream, "worker: cores: asked for 3")

	fr := frameReader{r: bufio.NewReader(bytes.NewReader(stream))}
	var types []frameType
	for {
		ft, body, err := fr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		types = append(types, ft)
		switch ft {
		case frameHello:
			m, err := decodeHello(body)
			if err != nil || m != (helloMsg{Version: protocolVersion, PID: 4312}) {
				t.Errorf("hello: %+v, %v", m, err)
			}
		case frameChunk:
			m, err := decodeChunk(body)
			if err != nil || !reflect.DeepEqual(m, sampleChunk()) {
				t.Errorf("chunk: %+v, %v", m, err)
			}
			if got := m.Tasks[1].task(); got.In != 3000 || got.Out != 1<<20 || len(got.Steps) != 2 {
				t.Errorf("chunk task: %+v", got)
			}
		case frameResults:
			m, err := decodeResults(body)
			if err != nil || !reflect.DeepEqual(m, sampleResults()) {
				t.Errorf("results: %+v, %v", m, err)
			}
		case frameEvents:
			var got []timeline.Event
			if err := decodeEvents(body, func(e timeline.Event) { got = append(got, e) }); err != nil || !reflect.DeepEqual(got, sampleEvents()) {
				t.Errorf("events: %+v, %v", got, err)
			}
		case frameFail:
			if msg := decodeFail(body); msg != "worker: cores: asked for 3" {
				t.Errorf("fail: %q", msg)
			}
		}
	}
	want := []frameType{frameHello, frameChunk, frameResults, frameEvents, frameFail}
	if !reflect.DeepEqual(types, want) {
		t.Errorf("frames %v, want %v", types, want)
	}
}

func TestFrameErrorsSayWhat(t *testing.T) {
	chunk := encodeChunk(t, sampleChunk())
	for _, tc := range []struct {
		name, data, want string
	}{
		{"text is not a frame", "hello world\n", "unknown type 0x68"},
		{"escape sequence", "\x1b[?1049h", "unknown type 0x1b"},
		{"huge length", "\x02\xff\xff\xff\xff", "over the"},
		{"short header", "\x02\x01", "truncated header"},
		{"short body", "\x02\x09\x00\x00\x00abc", "truncated body: 3 of 9"},
		{"chunk cut short", string(chunk[:len(chunk)-10]), "truncated body"},
		{"bad varint", "\x02\x02\x00\x00\x00\xff\xff", "bad or missing varint"},
		{"forged task count", "\x02\x06\x00\x00\x00\x01\xff\xff\xff\xff\x0f", "cannot fit"},
		{"unknown step kind", "\x02\x08\x00\x00\x00\x01\x01\x00\x01\x09\x00\x00\x00", "step kind: 9 is over"},
		{"bad state", "\x04\x07\x00\x00\x00\x00\x00\x00\x00\x00\x00\x63", "unknown state 99"},
		{"left over", "\x01\x03\x00\x00\x00\x01\x02\x03", "1 bytes left over"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := decodeAll([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
			var fe *FrameError
			if !errors.As(err, &fe) {
				t.Errorf("%v is not a *FrameError", err)
			}
		})
	}
}

// A length under the limit but longer than the stream costs no more memory than the
// stream carries.
func TestFrameReaderDoesNotTrustLengths(t *testing.T) {
	data := []byte("\x02\x00\x00\x00\x04" + "only a little") // 64 MB, under the frame limit
	fr := frameReader{r: bufio.NewReader(bytes.NewReader(data))}
	_, _, err := fr.next()
	if err == nil || !strings.Contains(err.Error(), "stream ended inside the body, after 13 of") {
		t.Fatalf("error %v", err)
	}
	if cap(fr.body) > 128<<10 {
		t.Errorf("allocated %d bytes for a 13-byte body", cap(fr.body))
	}
}

func TestWriteChunkRefusesOversizedFrames(t *testing.T) {
	var enc frameEncoder
	big := chunkMsg{Tasks: []wireTask{{In: make([]byte, maxFrameBody)}}}
	err := enc.writeChunk(io.Discard, big)
	if err == nil || !strings.Contains(err.Error(), "over the") {
		t.Fatalf("error %v", err)
	}
}

func TestMakeChunks(t *testing.T) {
	tasks := mustTasks(t, "10*cpu(1ms)").List()
	for _, tc := range []struct{ size, want int }{{1, 10}, {3, 4}, {10, 1}, {100, 1}} {
		chunks := makeChunks(tasks, tc.size)
		if len(chunks) != tc.want {
			t.Errorf("size %d: %d chunks, want %d", tc.size, len(chunks), tc.want)
		}
		next := 0
		for i, c := range chunks {
			if c.seq != i || c.first != next || c.n < 1 || c.n > tc.size || c.work != time.Duration(c.n)*time.Millisecond {
				t.Errorf("size %d: chunk %d is %+v", tc.size, i, c)
			}
			next += c.n
		}
		if next != len(tasks) {
			t.Errorf("size %d: chunks cover %d tasks", tc.size, next)
		}
	}
	// Payloads that would not fit one frame are split, however big the chunk size.
	heavy := mustTasks(t, "3*cpu(1ms) in=40MB").List()
	if chunks := makeChunks(heavy, 100); len(chunks) != 3 {
		t.Errorf("3 tasks of 40MB in chunks of 100: %d chunks, want 3", len(chunks))
	}
}
