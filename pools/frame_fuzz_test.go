package pools

import (
	"bufio"
	"bytes"
	"io"
	"reflect"
	"testing"

	"github.com/coreography/coreography/internal/timeline"
)

// decodeAll decodes every frame in data, bodies included, and returns the first error.
func decodeAll(data []byte) error {
	for len(data) > 0 {
		t, body, rest, err := splitFrame(data)
		if err != nil {
			return err
		}
		if _, err := decodeBody(t, body); err != nil {
			return err
		}
		data = rest
	}
	return nil
}

// decodeBody decodes a body by its type into a comparable value.
func decodeBody(t frameType, body []byte) (any, error) {
	switch t {
	case frameHello:
		return decodeHello(body)
	case frameChunk:
		return decodeChunk(body)
	case frameResults:
		return decodeResults(body)
	case frameEvents:
		var evs []timeline.Event
		err := decodeEvents(body, func(e timeline.Event) { evs = append(evs, e) })
		return evs, err
	default:
		return decodeFail(body), nil
	}
}

// reencode writes a decoded message back as a frame.
func reencode(t *testing.T, ft frameType, m any) []byte {
	switch m := m.(type) {
	case helloMsg:
		return appendHello(nil, m)
	case chunkMsg:
		return encodeChunk(t, m)
	case resultsMsg:
		return encodeResults(t, m)
	case []timeline.Event:
		return appendEvents(nil, m)
	case string:
		return appendFail(nil, m)
	}
	t.Fatalf("%s decoded to %T", ft, m)
	return nil
}

// FuzzDecodeFrame feeds arbitrary bytes to the decoders: they must never panic, the
// stream reader must agree with the slice decoder, and whatever decodes must encode
// back to a frame that decodes to the same thing.
func FuzzDecodeFrame(f *testing.F) {
	f.Add(appendHello(nil, helloMsg{Version: protocolVersion, PID: 4312}))
	f.Add(encodeChunk(f, sampleChunk()))
	f.Add(encodeResults(f, sampleResults()))
	f.Add(appendEvents(nil, sampleEvents()))
	f.Add(appendFail(nil, "worker: cores: asked for 3"))
	f.Add([]byte("\x1b[?1049hhello from a TUI"))
	f.Add([]byte("\x02\x06\x00\x00\x00\x01\xff\xff\xff\xff\x0f"))
	f.Fuzz(checkFrames)
}

// checkFrames is FuzzDecodeFrame's property on one input.
func checkFrames(t *testing.T, data []byte) {
	fr := frameReader{r: bufio.NewReader(bytes.NewReader(data))}
	rest := data
	for len(rest) > 0 {
		ft, body, next, err := splitFrame(rest)
		st, sbody, serr := fr.next()
		if (err == nil) != (serr == nil) {
			t.Fatalf("splitFrame says %v, the stream reader %v", err, serr)
		}
		if err != nil {
			return
		}
		if st != ft || !bytes.Equal(sbody, body) {
			t.Fatalf("stream reader read a different frame")
		}
		rest = next
		m, err := decodeBody(ft, body)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error with no message")
			}
			continue
		}
		again := reencode(t, ft, m)
		at, abody, arest, err := splitFrame(again)
		if err != nil || at != ft || len(arest) != 0 {
			t.Fatalf("re-encoded %s does not split: %v", ft, err)
		}
		m2, err := decodeBody(at, abody)
		if err != nil {
			t.Fatalf("re-encoded %s does not decode: %v", ft, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("%s round trip: %+v became %+v", ft, m, m2)
		}
	}
	if _, _, err := fr.next(); err != io.EOF {
		t.Fatalf("stream reader after the last frame: %v", err)
	}
}
