import { Component, type ReactNode, Suspense } from "react";
import { Skeleton } from "./Feedback";

interface State {
  failed: boolean;
}

/** ChunkBoundary shows a retry message when a lazily loaded chunk fails to load. */
class ChunkBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };
  static getDerivedStateFromError(): State {
    return { failed: true };
  }
  override render() {
    if (this.state.failed) {
      return (
        <p className="note note-error" role="alert">
          This part of the page could not load. Reload the page to try again.
        </p>
      );
    }
    return this.props.children;
  }
}

/** Suspended wraps lazily loaded parts (pages, charts) with a skeleton and an error boundary. */
export function Suspended({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <ChunkBoundary>
      <Suspense fallback={<Skeleton variant="page" label={label ?? "Loading…"} />}>{children}</Suspense>
    </ChunkBoundary>
  );
}
