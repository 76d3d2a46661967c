/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Go server serves dist/ under a strict CSP (no inline script or style),
// so the build must not inline anything into index.html.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    // Start clean so stale hashed files never get embedded; public/.keep is
    // copied back to dist/.keep, the one file git tracks there.
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:3001" },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    // Component tests type into inputs; a loaded 2-core CI box needs headroom.
    testTimeout: 20_000,
  },
});
