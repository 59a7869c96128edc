/**
 * Paths the gate treats specially while it holds the public: `allowPaths` (let through to the
 * origin in maintenance and read-only mode: payment and identity webhooks, legal pages, static
 * assets) and `apiPaths` (refused with the JSON 503 whatever Accept says). How an entry is
 * written, what is refused, and how a request's path matches, stated once: `check`
 * (modes/components/cloudflare/gate.ts) and the Worker (edge/config.ts, edge/gate.ts) use the same
 * functions, so `check` refuses exactly what the gate would ignore. Pure, no imports: the edge
 * bundle takes it as it is.
 *
 * An entry is `[METHOD ...] PATH`, separated by spaces:
 * - `/webhooks/stripe`: that one path, exactly. Case-sensitive; a trailing slash is another path
 *   (`/webhooks/stripe/` does not match), so an exact entry never ends in '/'.
 * - `/assets/*`: a prefix on a segment boundary. It matches `/assets` and everything under
 *   `/assets/`, never `/assetsx` or `/assets.zip`. '*' is allowed only there, as the last segment.
 * - METHODs (allowPaths only): which methods pass, in capitals: GET HEAD POST PUT PATCH DELETE
 *   OPTIONS. None means GET and HEAD, so a write passes only when the entry names it
 *   (`POST /webhooks/stripe`). apiPaths take no methods: every request there gets JSON.
 *
 * A request's path is `new URL(request.url).pathname`, as the gate matches health paths: already
 * normalised by the URL parser (`..` and `.` segments, their `%2e` spellings and `\` resolved before
 * the gate sees it), compared as it is (no case folding, no `//` collapsing, no trailing slash
 * added or removed). A prefix entry lets a path through only when it is clean once decoded: no
 * `.`/`..` or empty segment, no `\`, '%' or control character behind an escape (`/assets/..%2fadmin`
 * would reach an origin that decodes `%2f` as `/admin`, so it gets the page).
 */

/** Methods an allowPaths entry may name. */
export const PATH_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** What an allowPaths entry without methods lets through: reads only. */
export const DEFAULT_PATH_METHODS: readonly string[] = ['GET', 'HEAD'];

/**
 * Largest value of a Worker's plain-text binding, in bytes (developers.cloudflare.com/workers/platform/limits,
 * "Environment variable size": 5 KB); a longer list would fail the deploy.
 */
export const MAX_BINDING_BYTES = 5 * 1024;

/** One checked entry. */
export interface PathRule {
  /** Methods that pass (empty for an apiPaths entry: it matches every method). */
  readonly methods: readonly string[];
  /** The exact path, or the prefix without its `/*` (`/assets` for `/assets/*`). */
  readonly path: string;
  readonly prefix: boolean;
  /** The entry written out in full, as the binding carries it (`GET HEAD /assets/*`). */
  readonly text: string;
}

export type PathEntry = { readonly ok: true; readonly rule: PathRule } | { readonly ok: false; readonly problem: string };

/** Which list an entry is in: allowPaths take methods, apiPaths do not. */
export type PathList = 'allow' | 'api';

const EXAMPLES: Record<PathList, string> = {
  allow: 'allowed: a path such as /webhooks/stripe or a prefix such as /assets/*, optionally after methods (POST /webhooks/stripe)',
  api: 'allowed: a path such as /graphql or a prefix such as /api/*',
};

/** Reads one entry; never throws. `problem` says what is wrong and what is allowed. */
export function parsePathEntry(input: string, list: PathList): PathEntry {
  const bad = (problem: string): PathEntry => ({ ok: false, problem: `${problem}; ${EXAMPLES[list]}` });
  const words = input.trim().split(/\s+/).filter((w) => w !== '');
  const path = words.pop();
  if (path === undefined) return bad('is empty');
  if (path === '*') return bad(list === 'allow' ? 'would let the whole site through while the page is up' : 'would answer every refusal in JSON, so browsers would get no page');
  const methods: string[] = [];
  for (const m of words) {
    if (list === 'api') return bad(`names a method (${m}); an API path takes none: every request to it gets JSON`);
    if ((PATH_METHODS as readonly string[]).includes(m)) {
      if (methods.includes(m)) return bad(`names ${m} twice`);
      methods.push(m);
    } else if ((PATH_METHODS as readonly string[]).includes(m.toUpperCase())) {
      return bad(`names the method ${m} in lower case; write it ${m.toUpperCase()}`);
    } else if (m.startsWith('/')) {
      return bad('has a space in its path');
    } else {
      return bad(`names the method ${m}; methods it may name: ${PATH_METHODS.join(', ')}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return bad('is a URL; give only its path');
  if (!path.startsWith('/')) return bad("does not start with '/'");
  if (path.includes('?') || path.includes('#')) return bad('has a query string or fragment; the gate matches the path only');
  if (path.includes(',')) return bad('contains a comma (the binding is a comma-separated list)');
  if (path.includes('%')) return bad("contains '%': write the path without percent-escapes (the gate matches the path as typed)");
  const prefix = path.endsWith('/*');
  const base = prefix ? path.slice(0, -2) : path;
  if (base === '' || base === '/') {
    return bad(
      list === 'allow'
        ? `would let the home page${prefix ? ' and the whole site' : ''} through while the page is up`
        : `would answer every refusal in JSON${prefix ? '' : ' on the home page'}, so browsers would get no page`,
    );
  }
  if (base.includes('*')) return bad("has '*' where only a last segment /* may be (/assets/* is everything under /assets/)");
  const segments = base.split('/').slice(1);
  if (segments.some((s) => s === '.' || s === '..')) return bad("has a '.' or '..' segment");
  if (!prefix && base.endsWith('/')) return bad(`ends with '/'; write ${base}* for everything under ${base}, or ${base.slice(0, -1)} for that one path`);
  if (segments.some((s) => s === '')) return bad("has an empty segment ('//')");
  // The URL parser percent-encodes some characters and turns '\\' into '/': such a path never arrives as typed.
  if (/[^\x21-\x7e]/.test(path) || new URL(path, 'https://gate.invalid').pathname !== path) {
    return bad('contains characters a URL path does not carry as typed (spaces, non-ASCII, \\ " < > ` { })');
  }
  const passing = list === 'api' ? [] : methods.length ? methods : [...DEFAULT_PATH_METHODS];
  const rule: PathRule = {
    methods: passing,
    path: base,
    prefix,
    text: list === 'api' ? path : `${passing.join(' ')} ${path}`,
  };
  return { ok: true, rule };
}

/** Does `pathname` (as the URL parser gives it) fall under `rule`, on a segment boundary? */
export function pathMatches(rule: PathRule, pathname: string): boolean {
  if (!rule.prefix) return pathname === rule.path;
  return pathname === rule.path || pathname.startsWith(`${rule.path}/`);
}

/**
 * Is `pathname` a clean path once its escapes are decoded (no `.`/`..`/empty segment, no `\`, '%'
 * or control character)? What an origin that decodes before routing sees is then what the gate saw.
 */
export function cleanPath(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (/[\\%\x00-\x1f\x7f]/.test(decoded)) return false;
  const segments = decoded.split('/').slice(1);
  // A trailing slash is an empty last segment: allowed (a directory under the prefix).
  return segments.every((s, i) => s !== '.' && s !== '..' && (s !== '' || i === segments.length - 1));
}

/** The allowPaths entry letting `method` on `pathname` through, if any. */
export function allowedBy(rules: readonly PathRule[], method: string, pathname: string): PathRule | undefined {
  if (rules.length === 0 || !cleanPath(pathname)) return undefined;
  return rules.find((r) => r.methods.includes(method) && pathMatches(r, pathname));
}

/** Is `pathname` under one of the apiPaths entries? */
export function isApiPath(rules: readonly PathRule[], pathname: string): boolean {
  return rules.some((r) => pathMatches(r, pathname));
}
