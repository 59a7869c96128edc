/**
 * The static down page (modes/components/cloudflare/down-page.ts): a Cloudflare Pages project
 * (direct upload; the provider does not upload files, `wrangler pages deploy` does), the site host
 * names a hard-down points at it (PagesDomain each), and, when the estate names a custom domain for
 * the page, its PagesDomain and the proxied CNAME that points the domain at the project. All of it
 * exists in every mode, so the page is ready before a hard-down needs it.
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import { downPage } from '../../../modes/components/cloudflare/down-page';
import { AUTOMATIC_TTL } from '../../../modes/components/cloudflare/records';
import type { DesiredCloudflare } from '../../../modes/desired';
import { recordComment } from '../names';
import { defineCloudflareRenderer } from '../renderer';

export const DOWN_PAGE_TYPE = 'drawbridge:cloudflare:DownPage';

/** Branch whose deployments are production: `wrangler pages deploy ... --branch main`. */
export const DOWN_PAGE_BRANCH = 'main';

export const downPageNames = {
  /** The component, its project, and its custom domain's record and PagesDomain. */
  downPage: (estate: string) => `${estate}-down-page`,
  /** The PagesDomain of a site record a hard-down points here. */
  siteDomain: (estate: string, record: string) => `${estate}-down-page-site-${record}`,
} as const;

export interface DownPageProps {
  readonly estate: string;
  readonly accountId: string;
  /** `desired.cloudflare.downPage`. */
  readonly downPage: NonNullable<DesiredCloudflare['downPage']>;
  /**
   * Production branch of the Pages project.
   * @default DOWN_PAGE_BRANCH
   */
  readonly productionBranch?: string;
}

export class DownPage extends pulumi.ComponentResource {
  readonly project: cloudflare.PagesProject;
  readonly domain?: cloudflare.PagesDomain;
  readonly record?: cloudflare.DnsRecord;
  /** The site host names a hard-down points here, attached to the project in every mode. */
  readonly siteDomains: cloudflare.PagesDomain[];
  /** Where the page is served: the custom domain if any, else `<project>.pages.dev`. */
  readonly url: string;

  constructor(name: string, props: DownPageProps, opts?: pulumi.ComponentResourceOptions) {
    super(DOWN_PAGE_TYPE, name, {}, opts);
    const { downPage } = props;
    const resourceName = downPageNames.downPage(props.estate);
    this.project = new cloudflare.PagesProject(
      resourceName,
      { accountId: props.accountId, name: downPage.projectName, productionBranch: props.productionBranch ?? DOWN_PAGE_BRANCH },
      { parent: this },
    );
    if (downPage.domain && downPage.zoneId) {
      this.record = new cloudflare.DnsRecord(
        resourceName,
        {
          zoneId: downPage.zoneId,
          name: downPage.domain,
          type: 'CNAME',
          content: downPage.pagesDomain,
          proxied: true,
          ttl: AUTOMATIC_TTL,
          comment: recordComment(props.estate, 'down-page'),
        },
        { parent: this, deleteBeforeReplace: true },
      );
      this.domain = new cloudflare.PagesDomain(
        resourceName,
        { accountId: props.accountId, projectName: this.project.name, name: downPage.domain },
        // A domain belongs to one project at a time.
        { parent: this, deleteBeforeReplace: true, dependsOn: [this.record] },
      );
    }
    // Pages answers a host name only when it is a custom domain of the project (otherwise the
    // visitor gets Cloudflare's 522, not the branded page). The domain stays pending while the site
    // record points at the origin and becomes active when a hard-down points it here.
    this.siteDomains = downPage.siteDomains.map(
      (site) =>
        new cloudflare.PagesDomain(
          downPageNames.siteDomain(props.estate, site.id),
          { accountId: props.accountId, projectName: this.project.name, name: site.name },
          { parent: this, deleteBeforeReplace: true },
        ),
    );
    this.url = `https://${downPage.domain ?? downPage.pagesDomain}/`;
    this.registerOutputs({ url: this.url });
  }
}

export const downPageRenderer = defineCloudflareRenderer({
  component: downPage,
  type: DOWN_PAGE_TYPE,
  replaceOnChange: {
    'cloudflare:index/pagesProject:PagesProject': ['accountId', 'name'],
    'cloudflare:index/pagesDomain:PagesDomain': ['accountId', 'projectName', 'name'],
    'cloudflare:index/dnsRecord:DnsRecord': ['zoneId'],
  },
  render({ estate, desired }, opts) {
    if (!desired.downPage) return {};
    const page = new DownPage(downPageNames.downPage(estate), { estate, accountId: desired.accountId, downPage: desired.downPage }, opts);
    return { downPageUrl: page.url };
  },
});
