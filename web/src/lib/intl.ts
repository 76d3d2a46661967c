// Intl formatters are costly to build (each loads locale data), so they are
// made on first use and kept, never at module load (which would run on the
// page's critical path).
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** dateFormat returns a cached en-US Intl.DateTimeFormat for the options. */
export function dateFormat(opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify(opts);
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", opts);
    dateFormats.set(key, f);
  }
  return f;
}

/** numberFormat returns a cached en-US Intl.NumberFormat for the options. */
export function numberFormat(opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(opts);
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", opts);
    numberFormats.set(key, f);
  }
  return f;
}
