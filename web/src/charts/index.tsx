import { type ComponentProps, lazy, Suspense } from "react";
import { Suspended } from "../components/Suspended";

// recharts is large: it loads in its own chunk the first time a chart is
// shown, so pages without charts never download it.
const LazyLine = lazy(() => import("./LineChart"));
const LazyDonut = lazy(() => import("./DonutChart"));

function ChartSkeleton({ height }: { height: number }) {
  return (
    <div className={`chart-skeleton h-${height}`} role="status">
      <span className="visually-hidden">Loading chart…</span>
    </div>
  );
}

/** LineChart is the lazily loaded time-series chart. */
export function LineChart(props: ComponentProps<typeof LazyLine>) {
  return (
    <Suspended>
      <Suspense fallback={<ChartSkeleton height={props.height ?? 240} />}>
        <LazyLine {...props} />
      </Suspense>
    </Suspended>
  );
}

/** DonutChart is the lazily loaded share chart. */
export function DonutChart(props: ComponentProps<typeof LazyDonut>) {
  return (
    <Suspended>
      <Suspense fallback={<ChartSkeleton height={180} />}>
        <LazyDonut {...props} />
      </Suspense>
    </Suspended>
  );
}

export type { LinePoint } from "./LineChart";
export type { Slice } from "./DonutChart";
