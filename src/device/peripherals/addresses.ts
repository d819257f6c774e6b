/**
 * The two addresses a remote device has: the IPv4 address the door controller reaches it at and
 * the MAC address discovery reports (the guide's examples write them as dotted quads and as
 * colon-separated lower-case hex pairs). Pure functions, no state.
 */

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const MAC = /^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$/;

/**
 * Why `text` cannot be a remote device's address, or undefined when it can: a dotted-quad IPv4
 * address (no leading zeros) of a single host, so not 0.0.0.0/8 ("this network"), loopback (the
 * controller itself), multicast, the reserved 240/4 block or the broadcast address.
 */
export function ipv4Problem(text: string): string | undefined {
  if (!IPV4.test(text)) return `"${text}" is not an IPv4 address such as 192.0.2.10 (four numbers 0-255 separated by dots)`;
  const first = Number(text.slice(0, text.indexOf(".")));
  if (first === 0) return `${text} is in 0.0.0.0/8 ("this network"), not a device's address`;
  if (first === 127) return `${text} is a loopback address (the door controller itself), not a remote device's`;
  if (first >= 224 && first <= 239) return `${text} is a multicast address, not a device's`;
  if (first >= 240) return `${text} is a reserved or broadcast address, not a device's`;
  return undefined;
}

/** The MAC address in the guide's form (lower case, colons), or undefined when `text` is not six hex pairs separated by ":" or "-". */
export function canonicalMac(text: string): string | undefined {
  return MAC.test(text) ? text.toLowerCase().replace(/-/g, ":") : undefined;
}

/** Why `text` cannot be a device's MAC address (its format, a group address, all zeros), or undefined when it can. */
export function macProblem(text: string): string | undefined {
  const mac = canonicalMac(text);
  if (mac === undefined) return `"${text}" is not a MAC address such as 00:40:8c:18:64:07 (six pairs of hex digits separated by colons)`;
  if (mac === "00:00:00:00:00:00") return `${mac} is the all-zero MAC address, which no device has`;
  // IEEE 802: the least significant bit of the first octet marks a group (multicast/broadcast) address.
  if ((parseInt(mac.slice(0, 2), 16) & 1) === 1) return `${mac} is a group (multicast or broadcast) MAC address, not a device's`;
  return undefined;
}

/** Whether two MAC addresses are the same, whatever their case and separators. */
export function sameMac(a: string, b: string): boolean {
  const x = canonicalMac(a);
  return x !== undefined && x === canonicalMac(b);
}
