package pools

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// startSlowServer serves /wait?d=DURATION on a free loopback port, answering after d.
// Stopping it closes the listener and every connection.
func startSlowServer() (*slowServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/wait", func(w http.ResponseWriter, r *http.Request) {
		d, err := time.ParseDuration(r.URL.Query().Get("d"))
		if err != nil || d < 0 || d > time.Minute {
			http.Error(w, "d must be a duration up to 1m", http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(d):
			w.Write([]byte("ok\n"))
		case <-r.Context().Done():
		}
	})
	// Its errors (an accept failing at the fd limit) must not reach the learner's
	// terminal as log lines: a fetch that fails says why, in one line.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln)
	s := newClient("http://" + ln.Addr().String())
	s.stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
		s.client.CloseIdleConnections()
	}
	return s, nil
}
