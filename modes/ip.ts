/**
 * IP addresses and CIDR ranges for the staff allow-list, IPv4 and IPv6 in one form: every address
 * is 16 bytes (IPv4 as the IPv4-mapped IPv6 address ::ffff:a.b.c.d), so `203.0.113.0/24` and a
 * client reported as `::ffff:203.0.113.7` match. Pure and allocation-light: the gate checks an
 * address on every request during maintenance.
 */

export interface IpRange {
  /** The network address, 16 bytes. */
  readonly bytes: Uint8Array;
  /** Prefix length over the 16-byte form (an IPv4 /24 is 120). */
  readonly prefix: number;
  /** As written in the binding, for messages. */
  readonly text: string;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Four decimal octets, no leading zeros (an address like 010.0.0.1 is ambiguous, so refused). */
function parseV4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(text: string): number[] | undefined {
  if (text.includes('%')) return undefined; // zone ids never come from CF-Connecting-IP
  let s = text;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    // Embedded IPv4 (::ffff:192.0.2.1): rewrite its four octets as two hex groups.
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    s = `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parseGroups(halves[0] ?? '');
  const right = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!left || !right) return undefined;
  let groups = left;
  if (halves.length === 2) {
    const missing = 8 - left.length - right.length;
    if (missing < 1) return undefined;
    groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  }
  if (groups.length !== 8) return undefined;
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

/** The 16-byte form of an IPv4 or IPv6 address, or undefined when `text` is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > 45) return undefined;
  if (!t.includes(':')) {
    const v4 = parseV4(t);
    return v4 ? Uint8Array.from([...V4_MAPPED_PREFIX, ...v4]) : undefined;
  }
  const v6 = parseV6(t);
  return v6 ? Uint8Array.from(v6) : undefined;
}

/** An address (a /32 or /128) or a CIDR range, or undefined when `text` is neither. */
export function parseIpRange(text: string): IpRange | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash === -1 ? t : t.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes) return undefined;
  const isV4 = !addr.includes(':');
  const max = isV4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const p = t.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > max) return undefined;
    prefix = Number(p);
  }
  return { bytes, prefix: isV4 ? prefix + 96 : prefix, text: t };
}

/** Does `addr` (16 bytes) fall in `range`? */
export function inRange(addr: Uint8Array, range: IpRange): boolean {
  let bits = range.prefix;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((addr[i] ?? 0) & mask) !== ((range.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Parses a comma-separated list; entries that do not parse are returned in `bad`. */
export function parseIpList(text: string): { ranges: IpRange[]; bad: string[] } {
  const ranges: IpRange[] = [];
  const bad: string[] = [];
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const r = parseIpRange(entry);
    if (r) ranges.push(r);
    else bad.push(entry.trim());
  }
  return { ranges, bad };
}

/** Is the address `ip` (as text) in any of `ranges`? False for anything that is not an address. */
export function ipAllowed(ip: string | null, ranges: readonly IpRange[]): boolean {
  if (!ip || ranges.length === 0) return false;
  const addr = parseIp(ip);
  if (!addr) return false;
  return ranges.some((r) => inRange(addr, r));
}

/** Shortest allow-list prefixes accepted: a wider range lets a good part of the internet bypass. */
export const MIN_ALLOW_PREFIX = { v4: 8, v6: 16 } as const;

/**
 * Would `range` let (nearly) everyone through: an IPv4 range wider than /8, an IPv6 range wider
 * than /16, or an IPv6 range holding the whole IPv4-mapped block (::ffff:0:0/96, that is every
 * IPv4 client), such as 0.0.0.0/0, ::/0 or ::/64.
 */
export function tooBroad(range: IpRange): boolean {
  const isV4 = !range.text.split('/')[0]!.includes(':');
  if (isV4) return range.prefix - 96 < MIN_ALLOW_PREFIX.v4;
  if (range.prefix < MIN_ALLOW_PREFIX.v6) return true;
  return range.prefix <= 96 && inRange(Uint8Array.from([...V4_MAPPED_PREFIX, 0, 0, 0, 0]), range);
}
