import { type ComponentProps, lazy } from "react";
import { Suspended } from "../components/Suspended";

// recharts is large: it loads in its own chunk the first time a chart is shown.
const LazyLine = lazy(() => import("./LineChart"));
const LazyDonut = lazy(() => import("./DonutChart"));

/** LineChart is the lazily loaded time-series chart. */
export function LineChart(props: ComponentProps<typeof LazyLine>) {
  return (
    <Suspended label="Loading chart…">
      <LazyLine {...props} />
    </Suspended>
  );
}

/** DonutChart is the lazily loaded share chart. */
export function DonutChart(props: ComponentProps<typeof LazyDonut>) {
  return (
    <Suspended label="Loading chart…">
      <LazyDonut {...props} />
    </Suspended>
  );
}

export type { LinePoint } from "./LineChart";
export type { Slice } from "./DonutChart";
