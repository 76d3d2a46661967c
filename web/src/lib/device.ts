// Words for a signed-in session: which browser on which system, and roughly
// where, instead of a raw User-Agent and "::1".

/** describeAgent turns a User-Agent into "Chrome on Android". */
export function describeAgent(ua: string): string {
  if (!ua) return "Unknown browser";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\/|Opera/.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /Chrom(e|ium)\//.test(ua)
          ? "Chrome"
          : /Safari\//.test(ua)
            ? "Safari"
            : /curl|Go-http-client|python|node/i.test(ua)
              ? "An app or script"
              : "A browser";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Mac OS X|Macintosh/.test(ua)
        ? "macOS"
        : /Windows/.test(ua)
          ? "Windows"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : "";
  return os ? `${browser} on ${os}` : browser;
}

function v4(ip: string): number[] | null {
  const m = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(ip);
  return m ? m.slice(1).map(Number) : null;
}

/**
 * describePlace gives an approximate place for an IP address. Without a
 * geolocation database, the honest approximation is the network: this
 * computer, a private network, or a public address shown only to its
 * network (/24 or /48), which is what the server saw.
 */
export function describePlace(ip: string): string {
  if (!ip) return "Unknown network";
  const a = v4(ip);
  if (ip === "::1" || (a && a[0] === 127)) return "This computer";
  if (a) {
    const [x = 0, y = 0] = a;
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168) || (x === 100 && y >= 64 && y <= 127)) {
      return "A private network";
    }
    return `Network ${a[0]}.${a[1]}.${a[2]}.x`;
  }
  const lower = ip.toLowerCase();
  if (/^f[cd]/.test(lower) || lower.startsWith("fe80")) return "A private network";
  const groups = lower.split(":").filter(Boolean).slice(0, 3);
  return `Network ${groups.join(":")}::/48`;
}
