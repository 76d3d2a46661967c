package api

import (
	"net/http"
)

// adminUserDetail is GET /api/v1/admin/users/{id} (contract v1.1): the user
// and every account they hold, closed ones included, so an operator can
// freeze or unfreeze from the user's page. An unknown id is 404 not_found.
// Audited as admin_read of user:<id>.
func (s *Server) adminUserDetail(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	u, err := s.db.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	accts, err := s.db.AccountsByOwner(r.Context(), u.ID)
	if err != nil {
		return err
	}
	items := make([]accountView, 0, len(accts))
	for _, a := range accts {
		items = append(items, viewAccount(a))
	}
	s.auditAlone(r, principalOf(r).UserID, "admin_read", "user:"+u.ID, "success")
	return encode(w, http.StatusOK, map[string]any{"user": viewUser(u), "accounts": items})
}
