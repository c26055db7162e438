package pools

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"
)

// The raw pipe reader reads what the writer wrote, in any number of pieces, waits in
// the poller for data that is not there yet, and ends with io.EOF when the writer
// closes; a read of a closed file fails instead of hanging.
func TestPipeReaderReadsLikeAFile(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	pr := newPipeReader(r)
	if _, raw := pr.(pipeReader); !raw {
		t.Fatalf("os.Pipe's read end should be read raw, got %T", pr)
	}
	want := bytes.Repeat([]byte("frame "), 50_000) // more than a pipe holds: the writer blocks
	go func() {
		time.Sleep(20 * time.Millisecond) // the first read waits in the poller
		w.Write(want)
		w.Close()
	}()
	got, err := io.ReadAll(pr)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want the %d written", len(got), len(want))
	}

	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	pr2 := newPipeReader(r2)
	failed := make(chan error, 1)
	go func() {
		_, err := pr2.Read(make([]byte, 16))
		failed <- err
	}()
	time.Sleep(20 * time.Millisecond)
	r2.Close()
	select {
	case err := <-failed:
		if err == nil || errors.Is(err, io.EOF) {
			t.Errorf("a read of a pipe closed meanwhile returned %v, want an error", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a read of a pipe closed meanwhile did not return")
	}
}

// The raw pipe writer writes all it is given, waiting in the poller while the pipe is
// full, and fails, not hangs, once the reader has gone.
func TestPipeWriterWritesLikeAFile(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	pw := newPipeWriter(w)
	if _, raw := pw.(pipeWriter); !raw {
		t.Fatalf("os.Pipe's write end should be written raw, got %T", pw)
	}
	want := bytes.Repeat([]byte("task "), 60_000) // more than a pipe holds
	read := make(chan []byte)
	go func() {
		time.Sleep(20 * time.Millisecond) // the writer fills the pipe and waits first
		got, _ := io.ReadAll(io.LimitReader(r, int64(len(want))))
		read <- got
	}()
	if n, err := pw.Write(want); n != len(want) || err != nil {
		t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(want))
	}
	if got := <-read; !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, want the %d written", len(got), len(want))
	}
	r.Close()
	if _, err := pw.Write([]byte("late")); err == nil {
		t.Fatal("a write to a pipe whose reader closed succeeded")
	}
}

// A blocking descriptor is read the ordinary way: a raw read would hold a P asleep.
func TestPipeReaderLeavesBlockingFilesAlone(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	defer r.Close()
	r.Fd() // puts the descriptor in blocking mode (a second os.File on it would close it twice)
	if pr := newPipeReader(r); pr != io.Reader(r) {
		t.Fatalf("a blocking descriptor got %T, want the file itself", pr)
	}
}
