import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { EP } from "./endpoints";

interface Spec {
  paths: Record<string, Record<string, { operationId?: string }>>;
}

// The server's OpenAPI document lives beside the Go handlers (it is what the
// server serves at /api/openapi.json). Each EP entry is named by the
// operationId whose types it uses, so its method and path must be exactly
// that operation's: a renamed route or operation breaks this test, and a
// changed schema breaks the type check (schema.d.ts is generated from it).
const spec = JSON.parse(readFileSync(resolve(__dirname, "../../../internal/api/openapi.json"), "utf8")) as Spec;

it("calls every operation by its operationId, method and path", () => {
  const byId = new Map<string, string>();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op.operationId) byId.set(op.operationId, `${method.toUpperCase()} ${path}`);
    }
  }
  const wrong = Object.entries(EP)
    .map(([id, [method, path]]) => ({ id, mine: `${method} ${path}`, spec: byId.get(id) }))
    .filter((x) => x.mine !== x.spec)
    .map((x) => `${x.id}: app ${x.mine}, document ${x.spec ?? "(no such operationId)"}`);
  expect(wrong).toEqual([]);
});
