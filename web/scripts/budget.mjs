// Measures the initial JavaScript that index.html loads (entry + modulepreloads),
// gzipped, and fails when it is over the budget. Lazy chunks are not counted.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 150;
const dist = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const html = readFileSync(join(dist, "index.html"), "utf8");
const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((m) => m[1]);
const inline = /<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle="/i.test(html);
let total = 0;
for (const s of scripts) {
  const gz = gzipSync(readFileSync(join(dist, s)), { level: 9 }).length;
  total += gz;
  console.log(`budget: ${s} ${(gz / 1024).toFixed(1)} KB gzipped`);
}
console.log(`budget: initial JS ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB), ${scripts.length} file(s)`);
if (inline) {
  console.error("budget: index.html has an inline script or style, which the CSP forbids");
  process.exit(1);
}
// The server sends precompressed files (scripts/compress.mjs): every initial script must have them.
const missing = scripts.filter((s) => !existsSync(join(dist, `${s}.br`)) || !existsSync(join(dist, `${s}.gz`)));
if (missing.length) {
  console.error(`budget: no precompressed .br/.gz beside ${missing.join(", ")} (run the build through npm run build)`);
  process.exit(1);
}
if (total > BUDGET_KB * 1024) {
  console.error("budget: over budget");
  process.exit(1);
}
