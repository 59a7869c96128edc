/**
 * Patterns for values people type into an estate, stated once: the schema's fields (`fields.ts`)
 * and the checks of a resolved state (what Cloudflare accepts as record content) use the same ones.
 * Pure: plain regular expressions, no imports, so the edge can use them too.
 */

/** A dotted-quad IPv4 address, each part 0-255. */
export const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
/** An IPv4 address with an optional /prefix. */
export const IPV4_CIDR = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\/(?:3[0-2]|[12]?\d))?$/;
/** An IPv6 address (loosely: hex groups and colons, an embedded IPv4 tail allowed). */
export const IPV6 = /^[0-9a-f:]+:[0-9a-f:.]*$/i;
/** An IPv6 address with an optional /prefix. */
export const IPV6_CIDR = /^[0-9a-f:]+:[0-9a-f:]*(?:\/(?:12[0-8]|1[01]\d|\d?\d))?$/i;

/** A host name as an estate names one: lower-case labels, a top-level domain of letters. */
export const HOST_NAME = /^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+[a-z]{2,63}$/;
/**
 * A host name as DNS content (a CNAME's target): any case, underscores allowed (`_acme-challenge`),
 * an optional trailing dot.
 */
export const DNS_CONTENT_HOST = /^(?=.{1,253}$)(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)+[a-z]{2,63}\.?$/i;

/**
 * A URL path as the estate gives one: a leading slash, no spaces, control characters or commas (the
 * gate's HEALTH_PATHS binding is a comma-separated list, so `/healthz,/` would let the home page
 * through in maintenance).
 */
export const URL_PATH = /^\/[\x21-\x2b\x2d-\x7e]*$/;
