import { expect, it } from "vitest";
import { describeAgent, describePlace } from "./device";

it.each([
  ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36", "Chrome on Android"],
  ["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari on iOS"],
  ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0", "Edge on Windows"],
  ["Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"],
  ["curl/8.5.0", "An app or script"],
  ["", "Unknown browser"],
])("describeAgent(%j) = %s", (ua, want) => {
  expect(describeAgent(ua)).toBe(want);
});

it.each([
  ["::1", "This computer"],
  ["127.0.0.1", "This computer"],
  ["192.168.1.20", "A private network"],
  ["10.0.3.4", "A private network"],
  ["81.2.69.142", "Network 81.2.69.x"],
  ["::ffff:81.2.69.142", "Network 81.2.69.x"],
  ["2001:db8:85a3::8a2e:370:7334", "Network 2001:db8:85a3::/48"],
  ["fd00::1", "A private network"],
])("describePlace(%j) = %s — never the raw loopback address", (ip, want) => {
  expect(describePlace(ip)).toBe(want);
});
