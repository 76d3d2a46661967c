// Package telemetry sets up BankApp's logs (slog; JSON in production) and
// holds shared observability helpers.
package telemetry

import (
	"io"
	"log/slog"
	"os"
)

// NewLogger returns a logger writing to w at level ("debug", "info", "warn",
// "error") in format ("json", "text", or "" = text on a terminal, else JSON).
// Records logged with a context that carries a span get trace_id and
// span_id (WithTrace).
func NewLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "text" {
		return slog.New(WithTrace(slog.NewTextHandler(w, opts)))
	}
	return slog.New(WithTrace(slog.NewJSONHandler(w, opts)))
}
