import type { DesiredCloudflare } from '../../../../modes/desired';
import { downPage, pagesDomain } from '../../../../modes/components/cloudflare/down-page';
import { brief, changes, ctxIn, identityCases, runRule, S, type StateName } from '../../../support/components';

type Page = NonNullable<DesiredCloudflare['downPage']>;
const SITE_RECORDS = [{ id: 'www', name: 'www.example.com' }];
const resolved = (spec: unknown, state: StateName = 'normalBlue'): Partial<DesiredCloudflare> => downPage.resolve(downPage.schema.parse(spec), ctxIn(state, { hardDownRecords: SITE_RECORDS }));

const desired = (more: Partial<Page> = {}): Page & { id: 'downPage' } => ({ id: 'downPage', projectName: 'shop-down', pagesDomain: 'shop-down.pages.dev', siteDomains: SITE_RECORDS, ...more });

describe('downPage.resolve', () => {
  test.each<[string, unknown, Partial<DesiredCloudflare>]>([
    ['no down page', undefined, {}],
    ['a project only', { projectName: 'shop-down' }, { downPage: { projectName: 'shop-down', pagesDomain: 'shop-down.pages.dev', siteDomains: SITE_RECORDS } }],
    [
      'a project with its own domain',
      { projectName: 'shop-down', domain: 'down.example.com', zone: 'main' },
      { downPage: { projectName: 'shop-down', pagesDomain: 'shop-down.pages.dev', domain: 'down.example.com', zone: 'main', zoneId: 'a'.repeat(32), siteDomains: SITE_RECORDS } },
    ],
  ])('GIVEN %s WHEN resolved THEN the part is as declared, with every hard-down record attached', (_what, spec, expected) => {
    expect(resolved(spec)).toEqual(expected);
  });

  test.each(Object.keys(S) as StateName[])('GIVEN a down page WHEN resolved in %s THEN it is exactly as in normal blue (ready before a hard-down needs it)', (state) => {
    expect(resolved({ projectName: 'shop-down' }, state)).toEqual(resolved({ projectName: 'shop-down' }));
  });

  test('GIVEN a project name THEN its Pages domain is <project>.pages.dev', () => {
    expect(pagesDomain('shop-down')).toBe('shop-down.pages.dev');
  });
});

describe('downPage.describe', () => {
  test.each<[string, Page | undefined, Page | undefined, ReturnType<typeof brief>[]]>([
    ['nothing changed', desired(), desired(), []],
    ['a custom domain added', desired(), desired({ domain: 'down.example.com' }), [{ text: 'down page shop-down changed', action: 'modify', effects: [] }]],
    ['the page added', undefined, desired(), [{ text: 'down page shop-down added', action: 'add', effects: [] }]],
    ['the page removed', desired(), undefined, [{ text: 'down page removed', action: 'remove', effects: [] }]],
  ])('GIVEN %s WHEN described THEN the change records say so', (_what, before, after, expected) => {
    expect(changes(downPage, before, after).map(brief)).toEqual(expected);
  });
});

describe('downPage rules', () => {
  test.each<[string, unknown, string[]]>([
    ['a project only', { projectName: 'shop-down' }, []],
    ['a domain and its zone', { projectName: 'shop-down', domain: 'down.example.com', zone: 'main' }, []],
    ['a domain without a zone', { projectName: 'shop-down', domain: 'down.example.com' }, ['cloudflare.downPage.zone: a down page domain needs the zone its record lives in']],
    ['an unknown zone', { projectName: 'shop-down', zone: 'nope' }, ["cloudflare.downPage.zone: unknown zone 'nope'; allowed: main"]],
    ['no down page', undefined, []],
  ])('GIVEN %s WHEN domainHasItsZone runs THEN it reports the listed problems', (_what, spec, expected) => {
    expect(runRule(downPage, 'domainHasItsZone', spec)).toEqual(expected);
  });
});

describe('downPage.identity', () => {
  test.each(identityCases(downPage))('GIVEN the %s estate WHEN resolved in every mode state it supports (%s) THEN the down page keeps its identity', (_name, _states, ids) => {
    for (const other of ids) expect(other).toEqual(ids[0]);
  });

  test('GIVEN another project name THEN the identity differs', () => {
    expect(downPage.identity(desired({ projectName: 'other' }))).not.toEqual(downPage.identity(desired()));
  });
});
