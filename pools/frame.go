package pools

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/coreography/coreography/internal/experiment"
	"github.com/coreography/coreography/internal/timeline"
)

// The wire format between the app and its worker subprocesses. Every message is one
// frame:
//
//	type    1 byte (frameHello … frameFail)
//	length  4 bytes, little-endian: the body's size, at most maxFrameBody
//	body    length bytes
//
// Integers inside bodies are varints (encoding/binary), so a trivial task's chunk is
// about ten bytes. Decoders check every length and count against the bytes that are
// left, so garbage gives an error that says where, never a panic or a huge allocation.

type frameType byte

const (
	frameHello   frameType = 1 // worker → app: protocol version and pid; the worker is up
	frameChunk   frameType = 2 // app → worker: tasks to run, each with its in payload
	frameResults frameType = 3 // worker → app: a chunk's results, each with its out payload
	frameEvents  frameType = 4 // worker → app: the worker's timeline events, batched
	frameFail    frameType = 5 // worker → app: why the worker gives up
)

var frameNames = [...]string{frameHello: "hello", frameChunk: "chunk", frameResults: "results", frameEvents: "events", frameFail: "fail"}

func (t frameType) String() string {
	if t >= frameHello && t <= frameFail {
		return frameNames[t]
	}
	return fmt.Sprintf("type 0x%02x", byte(t))
}

const (
	frameHeaderLen = 5
	// maxFrameBody bounds one frame: the biggest payload the notation allows plus room
	// for the task and result headers of a 100,000-task chunk. Chunks are cut short
	// before their payloads pass experiment.MaxPayload (see makeChunks).
	maxFrameBody = experiment.MaxPayload + 32<<20
	// maxErrorText bounds a task's error message in a result, so a chunk's results
	// always fit in a frame.
	maxErrorText = 200
	// protocolVersion changes whenever the frame bodies do: an app and a worker built
	// from different sources refuse each other instead of misreading.
	protocolVersion = 2
)

// wireTask is one task of a chunk as it crosses the pipe.
type wireTask struct {
	Index int32
	Steps []experiment.Step
	Out   int64  // bytes of out payload the worker must send back
	In    []byte // the in payload; after decoding it aliases the frame body
}

// task is the task as the notation describes it.
func (t wireTask) task() experiment.Task {
	return experiment.Task{Steps: t.Steps, In: int64(len(t.In)), Out: t.Out}
}

// wireResult is one task's result as it crosses the pipe.
type wireResult struct {
	Index int32
	InCRC uint32 // CRC-32C of the in payload the worker received: proof it arrived intact
	Err   string // the task's error, which stops the run; "" when it had none
	Out   []byte // the out payload; after decoding it aliases the frame body

	Outcome    timeline.Outcome // Done, or Failed by a fail step (the run goes on)
	Start, End int64            // when the worker began and finished the task, CLOCK_MONOTONIC ns
}

type helloMsg struct {
	Version uint64
	PID     int32
}

type chunkMsg struct {
	Seq   uint64
	Tasks []wireTask
}

type resultsMsg struct {
	Seq     uint64
	Results []wireResult
}

// FrameError says what is wrong with a frame and where in it.
type FrameError struct {
	Type frameType
	Msg  string
}

func (e *FrameError) Error() string {
	if e.Type == 0 {
		return "frame: " + e.Msg
	}
	return "frame " + e.Type.String() + ": " + e.Msg
}

// --- encoding ---------------------------------------------------------------------

func appendHeader(dst []byte, t frameType, bodyLen int) []byte {
	return binary.LittleEndian.AppendUint32(append(dst, byte(t)), uint32(bodyLen))
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

func appendHello(dst []byte, m helloMsg) []byte {
	var body [2 * binary.MaxVarintLen64]byte
	b := binary.AppendUvarint(body[:0], m.Version)
	b = binary.AppendUvarint(b, uint64(m.PID))
	return append(appendHeader(dst, frameHello, len(b)), b...)
}

func appendFail(dst []byte, msg string) []byte {
	if len(msg) > maxFrameBody {
		msg = msg[:maxFrameBody]
	}
	return append(appendHeader(dst, frameFail, len(msg)), msg...)
}

// appendEvent adds one event to an events body, each field as the zigzag varint of its
// difference from prev: a worker's consecutive events differ by little, so most take
// a byte or two per field.
func appendEvent(dst []byte, prev, e timeline.Event) []byte {
	dst = binary.AppendUvarint(dst, zigzag(e.T-prev.T))
	dst = binary.AppendUvarint(dst, zigzag(e.CPUTime-prev.CPUTime))
	dst = binary.AppendUvarint(dst, zigzag(int64(e.Task)-int64(prev.Task)))
	dst = binary.AppendUvarint(dst, zigzag(int64(e.PID)-int64(prev.PID)))
	dst = binary.AppendUvarint(dst, zigzag(int64(e.TID)-int64(prev.TID)))
	dst = binary.AppendUvarint(dst, zigzag(int64(e.CPU)-int64(prev.CPU)))
	return append(dst, byte(e.State))
}

// appendEvents appends a whole events frame.
func appendEvents(dst []byte, evs []timeline.Event) []byte {
	var body []byte
	var prev timeline.Event
	for _, e := range evs {
		body = appendEvent(body, prev, e)
		prev = e
	}
	return append(appendHeader(dst, frameEvents, len(body)), body...)
}

// frameEncoder writes chunk and result frames with their payloads straight from the
// caller's buffers: a 10 MB payload is written, never copied into the frame first.
type frameEncoder struct {
	meta []byte // the non-payload parts of the frame being written
	ends []int  // where each task's part of meta ends
}

// start begins the meta of a frame of n items: its sequence number and the count.
func (e *frameEncoder) start(seq uint64, n int) {
	e.meta = binary.AppendUvarint(e.meta[:0], seq)
	e.meta = binary.AppendUvarint(e.meta, uint64(n))
	e.ends = append(e.ends[:0], len(e.meta))
}

// writeChunk writes one chunk frame to w.
func (e *frameEncoder) writeChunk(w io.Writer, m chunkMsg) error {
	e.start(m.Seq, len(m.Tasks))
	payloads := 0
	for _, t := range m.Tasks {
		e.meta = binary.AppendUvarint(e.meta, uint64(t.Index))
		e.meta = binary.AppendUvarint(e.meta, uint64(len(t.Steps)))
		for _, s := range t.Steps {
			e.meta = append(e.meta, byte(s.Kind))
			e.meta = binary.AppendUvarint(e.meta, uint64(s.D))
			if s.Kind == experiment.Add {
				e.meta = binary.AppendUvarint(e.meta, uint64(s.N))
				e.meta = append(e.meta, byte(s.Sync))
			}
		}
		e.meta = binary.AppendUvarint(e.meta, uint64(t.Out))
		e.meta = binary.AppendUvarint(e.meta, uint64(len(t.In)))
		e.ends = append(e.ends, len(e.meta))
		payloads += len(t.In)
	}
	return e.write(w, frameChunk, payloads, func(i int) []byte { return m.Tasks[i].In })
}

// writeResults writes one results frame to w.
func (e *frameEncoder) writeResults(w io.Writer, m resultsMsg) error {
	e.start(m.Seq, len(m.Results))
	payloads := 0
	for _, r := range m.Results {
		msg := r.Err
		if len(msg) > maxErrorText {
			msg = msg[:maxErrorText]
		}
		e.meta = binary.AppendUvarint(e.meta, uint64(r.Index))
		e.meta = binary.LittleEndian.AppendUint32(e.meta, r.InCRC)
		e.meta = binary.AppendUvarint(e.meta, uint64(len(msg)))
		e.meta = append(e.meta, msg...)
		e.meta = append(e.meta, byte(r.Outcome))
		e.meta = binary.AppendUvarint(e.meta, zigzag(r.Start))
		e.meta = binary.AppendUvarint(e.meta, zigzag(r.End-r.Start))
		e.meta = binary.AppendUvarint(e.meta, uint64(len(r.Out))) // the payload follows it
		e.ends = append(e.ends, len(e.meta))
		payloads += len(r.Out)
	}
	return e.write(w, frameResults, payloads, func(i int) []byte { return m.Results[i].Out })
}

// write sends the header, then each item's part of meta followed by its payload.
func (e *frameEncoder) write(w io.Writer, t frameType, payloads int, payload func(i int) []byte) error {
	n := len(e.meta) + payloads
	if n > maxFrameBody {
		return &FrameError{Type: t, Msg: fmt.Sprintf("body of %d bytes is over the %d-byte limit", n, maxFrameBody)}
	}
	var head [frameHeaderLen]byte
	if _, err := w.Write(appendHeader(head[:0], t, n)); err != nil {
		return err
	}
	if _, err := w.Write(e.meta[:e.ends[0]]); err != nil {
		return err
	}
	for i := 1; i < len(e.ends); i++ {
		if _, err := w.Write(e.meta[e.ends[i-1]:e.ends[i]]); err != nil {
			return err
		}
		if p := payload(i - 1); len(p) > 0 {
			if _, err := w.Write(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// --- decoding ---------------------------------------------------------------------

// parseHeader reads a frame header and checks it before any body is read.
func parseHeader(h []byte) (frameType, int, error) {
	t := frameType(h[0])
	if t < frameHello || t > frameFail {
		return t, 0, &FrameError{Msg: fmt.Sprintf("unknown %s (bytes % x): not a worker frame", t, h)}
	}
	n := binary.LittleEndian.Uint32(h[1:])
	if n > maxFrameBody {
		return t, 0, &FrameError{Type: t, Msg: fmt.Sprintf("body of %d bytes is over the %d-byte limit", n, maxFrameBody)}
	}
	return t, int(n), nil
}

// splitFrame takes the first frame off data: its type, its body and the rest.
func splitFrame(data []byte) (frameType, []byte, []byte, error) {
	if len(data) < frameHeaderLen {
		return 0, nil, nil, &FrameError{Msg: fmt.Sprintf("truncated header: %d of %d bytes", len(data), frameHeaderLen)}
	}
	t, n, err := parseHeader(data[:frameHeaderLen])
	if err != nil {
		return t, nil, nil, err
	}
	data = data[frameHeaderLen:]
	if n > len(data) {
		return t, nil, nil, &FrameError{Type: t, Msg: fmt.Sprintf("truncated body: %d of %d bytes", len(data), n)}
	}
	return t, data[:n], data[n:], nil
}

// frameReader reads frames from a stream, reusing one body buffer.
type frameReader struct {
	r    *bufio.Reader
	body []byte
}

// header reads the next frame's header; io.EOF means the stream ended between frames.
func (fr *frameReader) header() (frameType, int, error) {
	var h [frameHeaderLen]byte
	if n, err := io.ReadFull(fr.r, h[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return 0, 0, &FrameError{Msg: fmt.Sprintf("stream ended inside a header, after %d bytes", n)}
		}
		return 0, 0, err
	}
	return parseHeader(h[:])
}

// readBody reads an n-byte body. It grows the buffer as bytes arrive rather than all at
// once, so a corrupt length costs no more memory than the stream really carries. The
// body is valid until the next call.
func (fr *frameReader) readBody(t frameType, n int) ([]byte, error) {
	const step = 64 << 10
	have := 0
	for have < n {
		want := min(n, max(have*2, step))
		if cap(fr.body) < want {
			fr.body = append(fr.body[:have], make([]byte, want-have)...)
		}
		got, err := io.ReadFull(fr.r, fr.body[have:want])
		have += got
		if err != nil {
			return nil, &FrameError{Type: t, Msg: fmt.Sprintf("stream ended inside the body, after %d of %d bytes", have, n)}
		}
	}
	fr.body = fr.body[:n]
	return fr.body, nil
}

// next reads a whole frame.
func (fr *frameReader) next() (frameType, []byte, error) {
	t, n, err := fr.header()
	if err != nil {
		return t, nil, err
	}
	body, err := fr.readBody(t, n)
	return t, body, err
}
