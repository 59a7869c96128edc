/**
 * Whether the host page's Content-Security-Policy lets the banner's inline <style> and <script>
 * run, and with which nonce. The gate never changes the origin's CSP (adding a hash or a nonce to
 * a policy that relies on 'unsafe-inline' would switch 'unsafe-inline' off and break the page);
 * instead the banner adapts: it reuses the page's own nonce when the policy names one, and leaves
 * the element out when nothing would let it run, so the page never gets a CSP violation (or a
 * violation report) because of us. Without its script the banner still shows the window; it just
 * has no dismiss button. Pure: policies in, decision out (CSP Level 3 source-list matching for
 * inline elements, https://www.w3.org/TR/CSP3/#match-element-to-source-list).
 */

export type InlineKind = 'script' | 'style';

/** `false`: leave the element out. `{}`: it runs as is. `{ nonce }`: it runs with this nonce attribute. */
export type InlineAllowance = false | { readonly nonce?: string };

/** A nonce value as CSP writes it (base64 / base64url). Anything else is never echoed into HTML. */
const NONCE = /^'nonce-([A-Za-z0-9+/_=-]+)'$/i;
const HASH = /^'sha(256|384|512)-/i;

/** The directives of one policy, names lower-cased; the first occurrence of a name wins (CSP3). */
function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const tokens = part.trim().split(/[\t\n\f\r ]+/).filter((t) => t !== '');
    const name = tokens.shift()?.toLowerCase();
    if (name && !out.has(name)) out.set(name, tokens);
  }
  return out;
}

/** The source list that governs an inline element of `kind`, or undefined when none does. */
function governing(policy: Map<string, string[]>, kind: InlineKind): string[] | undefined {
  return policy.get(`${kind}-src-elem`) ?? policy.get(`${kind}-src`) ?? policy.get('default-src');
}

function nonces(list: readonly string[]): string[] {
  return list.flatMap((s) => {
    const m = NONCE.exec(s);
    return m?.[1] ? [m[1]] : [];
  });
}

/** Does `list` allow an inline element of `kind` carrying `nonce` (or none)? */
function allows(list: readonly string[], kind: InlineKind, nonce: string | undefined): boolean {
  if (nonce !== undefined && list.some((s) => NONCE.exec(s)?.[1] === nonce)) return true;
  const lower = list.map((s) => s.toLowerCase());
  // A nonce or hash in the list (or 'strict-dynamic' for scripts) switches 'unsafe-inline' off.
  const overridden = list.some((s) => NONCE.test(s) || HASH.test(s)) || (kind === 'script' && lower.includes("'strict-dynamic'"));
  return lower.includes("'unsafe-inline'") && !overridden;
}

/**
 * Splits Content-Security-Policy header values (and <meta http-equiv> contents) into policies:
 * a comma separates policies within one header, and `Headers.get` joins repeated headers with ", ".
 */
export function policiesOf(values: readonly (string | null | undefined)[]): string[] {
  return values.flatMap((v) => (v ?? '').split(',')).map((p) => p.trim()).filter((p) => p !== '');
}

/**
 * How an inline element of `kind` may go into a page with every one of `policies`: as is, with
 * the page's nonce, or not at all. The gate passes report-only policies too: they block nothing,
 * but a banner that broke them would send the site a violation report on every page view.
 */
export function inlineAllowance(policies: readonly string[], kind: InlineKind): InlineAllowance {
  const lists = policies.map((p) => governing(directives(p), kind)).filter((l): l is string[] => l !== undefined);
  if (lists.length === 0) return {};
  if (lists.every((l) => allows(l, kind, undefined))) return {};
  for (const nonce of new Set(lists.flatMap(nonces))) {
    if (lists.every((l) => allows(l, kind, nonce))) return { nonce };
  }
  return false;
}
