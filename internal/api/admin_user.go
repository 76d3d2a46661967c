package api

import (
	"net/http"
)

// adminUserDetail is GET /api/v1/admin/users/{id} (contract v1.1): the user
// and every account they hold (bank.Service.AdminUser).
func (s *Server) adminUserDetail(w http.ResponseWriter, r *http.Request) error {
	u, accts, err := s.bank.AdminUser(r.Context(), s.caller(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	items := make([]accountView, 0, len(accts))
	for _, a := range accts {
		items = append(items, viewAccount(a))
	}
	return encode(w, http.StatusOK, map[string]any{"user": viewUser(u), "accounts": items})
}
