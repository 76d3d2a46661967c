package api

import (
	"io"
	"net/http"
)

// getStatement serves the monthly statement of an account as PDF or CSV
// (bank.Service.Statement: past months are rendered once and kept).
func (s *Server) getStatement(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "pdf"
	}
	f, err := s.bank.Statement(r.Context(), principalOf(r).UserID, r.PathValue("id"), r.PathValue("month"), format)
	if err != nil {
		return err
	}
	defer f.Body.Close()
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="bankapp-statement-`+f.Account.Number+"-"+f.Period.String()+"."+format+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = io.Copy(w, f.Body)
	return nil
}
