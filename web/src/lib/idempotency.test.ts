import { expect, it } from "vitest";
import { KeyKeeper } from "./idempotency";

it("keeps one key per submission until done, and a new key for a changed body", () => {
  const k = new KeyKeeper();
  const a = k.keyFor({ amount: "1.00" });
  expect(k.keyFor({ amount: "1.00" })).toBe(a);
  const b = k.keyFor({ amount: "2.00" });
  expect(b).not.toBe(a);
  k.done();
  expect(k.keyFor({ amount: "2.00" })).not.toBe(b);
});
