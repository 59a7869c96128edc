/**
 * modes/gate-paths.ts: how allowPaths/apiPaths entries are read and how a request's path (as the
 * URL parser gives it) matches them. Tables for the rules, fast-check for what must hold for any
 * path an attacker sends.
 */
import fc from 'fast-check';
import { allowedBy, cleanPath, DEFAULT_PATH_METHODS, isApiPath, parsePathEntry, pathMatches, type PathRule } from '../../modes/gate-paths';

function rule(entry: string, list: 'allow' | 'api' = 'allow'): PathRule {
  const parsed = parsePathEntry(entry, list);
  if (!parsed.ok) throw new Error(`${entry}: ${parsed.problem}`);
  return parsed.rule;
}

/** What the Worker matches: the pathname after the URL parser. */
const pathnameOf = (raw: string): string => new URL(raw, 'https://www.example.com').pathname;

describe('parsePathEntry', () => {
  test.each<[string, Omit<PathRule, 'text'> & { text: string }]>([
    ['POST /webhooks/stripe', { methods: ['POST'], path: '/webhooks/stripe', prefix: false, text: 'POST /webhooks/stripe' }],
    ['/assets/*', { methods: [...DEFAULT_PATH_METHODS], path: '/assets', prefix: true, text: 'GET HEAD /assets/*' }],
    ['  OPTIONS   GET /legal/*  ', { methods: ['OPTIONS', 'GET'], path: '/legal', prefix: true, text: 'OPTIONS GET /legal/*' }],
  ])('GIVEN %j WHEN read as an allowPaths entry THEN it is %j', (entry, expected) => {
    expect(parsePathEntry(entry, 'allow')).toEqual({ ok: true, rule: expected });
  });

  test('GIVEN an apiPaths entry WHEN read THEN it matches every method and is carried as typed', () => {
    expect(parsePathEntry('/api/*', 'api')).toEqual({ ok: true, rule: { methods: [], path: '/api', prefix: true, text: '/api/*' } });
  });

  test('GIVEN an entry written out in full WHEN read again THEN it is the same rule (the binding round-trips)', () => {
    fc.assert(
      fc.property(
        fc.subarray(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
        fc.array(fc.stringMatching(/^[a-zA-Z0-9_.~-]{1,8}$/).filter((s) => s !== '.' && s !== '..'), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (methods, segments, prefix) => {
          const entry = `${methods.join(' ')} /${segments.join('/')}${prefix ? '/*' : ''}`;
          const first = rule(entry);
          expect(rule(first.text)).toEqual(first);
        },
      ),
    );
  });
});

describe('matching a request path', () => {
  const stripe = rule('POST /webhooks/stripe');
  const assets = rule('/assets/*');
  const rules = [stripe, assets];

  test.each<[string, string, string, string | undefined]>([
    ['the webhook', 'POST', '/webhooks/stripe', stripe.text],
    ['the webhook with a query string (the pathname has none)', 'POST', '/webhooks/stripe?source=live', stripe.text],
    ['the webhook by GET (not listed)', 'GET', '/webhooks/stripe', undefined],
    ['the webhook with a trailing slash', 'POST', '/webhooks/stripe/', undefined],
    ['the webhook in other case', 'POST', '/Webhooks/Stripe', undefined],
    ['the webhook with a doubled slash', 'POST', '/webhooks//stripe', undefined],
    ['the webhook with a letter escaped', 'POST', '/webhooks/%73tripe', undefined],
    ['a path below the exact webhook', 'POST', '/webhooks/stripe/extra', undefined],
    ['the webhook then .. to the admin', 'POST', '/webhooks/stripe/../../admin', undefined],
    ['the webhook then encoded .. to the admin', 'POST', '/webhooks/stripe/%2e%2e/%2E%2E/admin', undefined],
    ['an asset', 'GET', '/assets/app.css', assets.text],
    ['an asset by HEAD', 'HEAD', '/assets/img/logo.png', assets.text],
    ['the prefix itself', 'GET', '/assets', assets.text],
    ['the prefix directory', 'GET', '/assets/', assets.text],
    ['an asset by POST (not listed)', 'POST', '/assets/app.css', undefined],
    ['a look-alike past the segment boundary', 'GET', '/assetsx/app.css', undefined],
    ['a look-alike file', 'GET', '/assets.zip', undefined],
    ['an asset then .. out of the prefix', 'GET', '/assets/../admin', undefined],
    ['an asset then an encoded slash and ..', 'GET', '/assets/..%2fadmin', undefined],
    ['an asset then an encoded backslash and ..', 'GET', '/assets/..%5cadmin', undefined],
    ['an asset then a double-encoded ..', 'GET', '/assets/%252e%252e/admin', undefined],
    ['an asset with an encoded NUL', 'GET', '/assets/a%00.css', undefined],
    ['an asset with a bad escape', 'GET', '/assets/%zz', undefined],
    ['an asset behind a doubled slash', 'GET', '/assets//x', undefined],
    ['an asset with an escaped space (clean once decoded)', 'GET', '/assets/a%20b.css', assets.text],
    ['an asset in other case', 'GET', '/Assets/app.css', undefined],
    ['the home page', 'GET', '/', undefined],
  ])('GIVEN %s (%s %s) WHEN matched THEN the entry letting it through is %s', (_what, method, raw, expected) => {
    expect(allowedBy(rules, method, pathnameOf(raw))?.text).toBe(expected);
  });

  test.each<[string, boolean]>([
    ['/api', true],
    ['/api/', true],
    ['/api/v1/orders', true],
    ['/api/v1/cart.json', true],
    ['/apiary', false],
    ['/api.json', false],
    ['/graphql', true],
    ['/graphql/', false],
    ['/graphqlx', false],
    ['/', false],
  ])('GIVEN apiPaths /api/* and /graphql WHEN %s is matched THEN it is an API path: %s', (path, expected) => {
    expect(isApiPath([rule('/api/*', 'api'), rule('/graphql', 'api')], path)).toBe(expected);
  });

  test('GIVEN no entries WHEN anything is matched THEN nothing is let through', () => {
    expect(allowedBy([], 'GET', '/assets/x')).toBeUndefined();
    expect(isApiPath([], '/api/x')).toBe(false);
  });

  // The property that matters: whatever an attacker sends, a path let through stays under its
  // entry even for an origin that percent-decodes the path and resolves dot segments again.
  test('GIVEN any request path WHEN a prefix lets it through THEN decoding and resolving it again stays under the prefix', () => {
    const piece = fc.constantFrom('assets', 'admin', '..', '.', '', '%2e', '%2E%2e', '%2f', '%5c', '%25', '%252e', '\\', 'a', '%00', '%zz', '?', '#', ';');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.constantFrom('GET', 'HEAD'), (pieces, method) => {
        const raw = `/assets/${pieces.join('/')}`;
        const pathname = pathnameOf(raw);
        if (!allowedBy([assets], method, pathname)) return;
        const again = pathnameOf(decodeURIComponent(pathname));
        expect(again === '/assets' || again.startsWith('/assets/')).toBe(true);
        expect(cleanPath(pathname)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('GIVEN any path WHEN an exact entry lets it through THEN it is that path, character for character', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (tail) => {
        const pathname = pathnameOf(`/webhooks/stripe${tail}`);
        if (allowedBy([stripe], 'POST', pathname)) expect(pathname).toBe('/webhooks/stripe');
      }),
      { numRuns: 2000 },
    );
  });

  test('GIVEN a prefix WHEN paths are matched THEN a match is always on a segment boundary', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (tail) => {
        const path = `/api${tail}`;
        if (pathMatches(rule('/api/*', 'api'), path)) expect(path === '/api' || path.startsWith('/api/')).toBe(true);
      }),
    );
  });
});
