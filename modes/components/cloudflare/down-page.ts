/**
 * The static down page: a Cloudflare Pages project, its optional custom domain, and the site host
 * names a hard-down points at it. All of it exists in every mode, so the page is ready before a
 * hard-down needs it.
 */
import { z } from 'zod';
import { changeOf, defineComponent } from '../../component';
import type { DesiredCloudflare } from '../../desired';
import { hostname, id } from '../../fields';

const DownPage = z.strictObject({
  projectName: z.string().regex(/^[a-z0-9][a-z0-9-]{0,57}$/, 'must be a Pages project name (lower-case letters, digits, dashes)'),
  domain: hostname.optional().describe('Custom domain for the down page (PagesDomain), e.g. down.example.com.'),
  zone: id.optional().describe('Zone holding the custom domain\'s record.'),
});

/** The project's own host name. */
export function pagesDomain(projectName: string): string {
  return `${projectName}.pages.dev`;
}

type DownPageItem = NonNullable<DesiredCloudflare['downPage']> & { readonly id: 'downPage' };

export const downPage = defineComponent({
  kind: 'downPage',
  provider: 'cloudflare',
  key: 'downPage',
  schema: DownPage.optional(),
  rules: [
    function domainHasItsZone(page, ctx) {
      if (page?.domain && !page.zone) ctx.report(['zone'], 'a down page domain needs the zone its record lives in');
      if (page?.zone && !ctx.facts.zones.has(page.zone)) ctx.report(['zone'], `unknown zone '${page.zone}'; allowed: ${[...ctx.facts.zones.keys()].join(', ')}`);
    },
  ],
  resolve: (page, { facts }) =>
    page
      ? {
          downPage: {
            projectName: page.projectName,
            pagesDomain: pagesDomain(page.projectName),
            ...(page.domain ? { domain: page.domain } : {}),
            ...(page.zone ? { zone: page.zone, zoneId: facts.zones.get(page.zone)?.zoneId ?? '' } : {}),
            siteDomains: facts.hardDownRecords,
          },
        }
      : {},
  items: (cf): DownPageItem[] => (cf.downPage ? [{ ...cf.downPage, id: 'downPage' }] : []),
  describe(x, y) {
    if (JSON.stringify(x ?? null) === JSON.stringify(y ?? null)) return [];
    const c = changeOf(this, 'downPage', (y ?? x)!.projectName);
    return [y ? c(x ? 'modify' : 'add', `down page ${y.projectName} ${x ? 'changed' : 'added'}`) : c('remove', 'down page removed')];
  },
  identity: (p) => p,
  checks(cf) {
    const domain = cf.downPage?.domain;
    const records = cf.records.filter((r) => r.name === domain);
    return domain && records.length
      ? [`cloudflare.downPage.domain: ${domain} is also record ${records.map((r) => r.id).join(', ')}; Drawbridge creates the down page's record itself, remove one of them`]
      : [];
  },
});
