import { useCallback, useRef } from "react";

/** newKey returns a fresh Idempotency-Key. */
export function newKey(): string {
  return crypto.randomUUID();
}

/**
 * KeyKeeper hands out one Idempotency-Key per logical submission: the same
 * body gets the same key until it succeeds, so a retry after a network error
 * or a lost answer can never move money twice; a changed body gets a new key.
 */
export class KeyKeeper {
  private key: string | null = null;
  private body: string | null = null;

  keyFor(body: unknown): string {
    const b = JSON.stringify(body);
    if (this.key === null || this.body !== b) {
      this.key = newKey();
      this.body = b;
    }
    return this.key;
  }

  /** done forgets the key after a definite answer so the next submission is new. */
  done(): void {
    this.key = null;
    this.body = null;
  }
}

/** useIdempotencyKey keeps a KeyKeeper for the life of a form. */
export function useIdempotencyKey(): { keyFor: (body: unknown) => string; done: () => void } {
  const ref = useRef<KeyKeeper | null>(null);
  if (ref.current === null) ref.current = new KeyKeeper();
  const keeper = ref.current;
  return {
    keyFor: useCallback((body: unknown) => keeper.keyFor(body), [keeper]),
    done: useCallback(() => keeper.done(), [keeper]),
  };
}
