package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/goalbot/goalbot/bot"
	"github.com/goalbot/goalbot/internal/metrics"
	"github.com/goalbot/goalbot/storage"
)

// healthTimeout bounds one /healthz check.
const healthTimeout = 2 * time.Second

// opsHandler serves /healthz and /metrics.
func opsHandler(b *bot.Bot, db *storage.DB, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		defer cancel()
		var problems []string
		if !b.Connected() {
			problems = append(problems, "slack: the Socket Mode connection is down")
		}
		if err := db.CheckWritable(ctx); err != nil {
			log.Warn("health check: the database takes no writes", "err", err)
			problems = append(problems, "database: it takes no writes")
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if len(problems) > 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, strings.Join(problems, "\n"))
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", metrics.ContentType)
		if err := b.WriteMetrics(w); err != nil {
			log.Debug("metrics not written", "err", err)
		}
	})
	return mux
}

// serveOps listens on addr and serves /healthz and /metrics until ctx
// ends. It returns once listening (or failing to), with the address taken.
func serveOps(ctx context.Context, addr string, h http.Handler, log *slog.Logger) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("http.listen: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Error("health and metrics listener stopped", "err", err)
		}
	}()
	log.Info("health and metrics listening", "addr", ln.Addr().String())
	return ln.Addr(), nil
}
