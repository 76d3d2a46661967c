import { type RefObject, useEffect, useState } from "react";

/**
 * useWidth tracks an element's width with a ResizeObserver, which reports
 * after layout instead of forcing one (reading clientWidth during a render
 * would make the browser restyle and lay out the page in the same task).
 */
export function useWidth(ref: RefObject<HTMLElement | null>, fallback = 600): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver((entries) => {
      const cw = Math.round(entries[0]?.contentRect.width ?? 0);
      if (cw > 0) setW((prev) => (Math.abs(prev - cw) > 1 ? cw : prev));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}
