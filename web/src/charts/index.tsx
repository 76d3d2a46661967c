// Charts are plain SVG drawn by the app (no chart library): a few kilobytes,
// loaded only with the pages that draw them.
export { LineChart, type LinePoint } from "./LineChart";
export { DonutChart, type Slice } from "./DonutChart";
