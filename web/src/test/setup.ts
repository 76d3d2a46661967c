import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => {
  cleanup();
  // Forget the session hint cookie between tests.
  document.cookie = "bankapp_signed_in=; Path=/; Max-Age=0";
});
