// Writes brotli (.br) and gzip (.gz) siblings of every compressible file in
// dist/ so the Go server can send them as they are (web/embed.go picks one by
// Accept-Encoding). A sibling is kept only when it saves at least 5 %.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".html", ".svg", ".json", ".txt", ".xml", ".webmanifest", ".map"]);
const MIN_BYTES = 256;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

let raw = 0;
let br = 0;
let gz = 0;
for (const p of files(dist)) {
  if (!COMPRESSIBLE.has(extname(p))) continue;
  const body = readFileSync(p);
  if (body.length < MIN_BYTES) continue;
  const b = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const g = gzipSync(body, { level: 9 });
  raw += body.length;
  if (b.length < body.length * 0.95) {
    writeFileSync(`${p}.br`, b);
    br += b.length;
  } else br += body.length;
  if (g.length < body.length * 0.95) {
    writeFileSync(`${p}.gz`, g);
    gz += g.length;
  } else gz += body.length;
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`compress: ${kib(raw)} of text assets → brotli ${kib(br)}, gzip ${kib(gz)}`);
