// The refresh token is an HttpOnly cookie the page cannot see, so on a fresh
// load the app could only learn whether it has a session by asking, and a
// signed-out visitor would get a 401 in the console on every page. A hint
// cookie (no secret: just "1") remembers that this browser signed in; without
// it the app starts signed out and asks nothing. It lives as long as a
// refresh token can (30 days) and is removed on sign-out or when a refresh
// fails. It is not web storage, which stays empty.
const NAME = "bankapp_signed_in";
const MAX_AGE = 30 * 24 * 3600;

/** hasSessionHint reports whether this browser signed in and has not signed out since. */
export function hasSessionHint(): boolean {
  return typeof document !== "undefined" && document.cookie.split(/;\s*/).includes(`${NAME}=1`);
}

/** setSessionHint records a sign-in. */
export function setSessionHint(): void {
  const secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${NAME}=1; Path=/; Max-Age=${MAX_AGE}; SameSite=Strict${secure}`;
}

/** clearSessionHint forgets the session. */
export function clearSessionHint(): void {
  document.cookie = `${NAME}=; Path=/; Max-Age=0; SameSite=Strict`;
}
