/**
 * Every kind of component, in the order the plan lists their changes: the schema is composed from
 * these fragments (each at its key), and
 * resolve, the rules, the invariants, the plan and the property tests loop over this list. Adding a
 * component is one module under `components/` and one line here (see the README, "Adding a
 * component").
 */
import type { Component } from './component';
import { beanstalk } from './components/aws/beanstalk';
import { capacity } from './components/aws/capacity';
import { databaseAccess } from './components/aws/database-access';
import { databases } from './components/aws/databases';
import { flags } from './components/aws/flags';
import { jobs } from './components/aws/jobs';
import { listener } from './components/aws/listener';
import { route53 } from './components/aws/route53';
import { targetGroups } from './components/aws/target-groups';
import { alerts } from './components/cloudflare/alerts';
import { appWorkers } from './components/cloudflare/app-workers';
import { bots } from './components/cloudflare/bots';
import { downPage } from './components/cloudflare/down-page';
import { gate } from './components/cloudflare/gate';
import { cloudflareRecords } from './components/cloudflare/records';
import type { Provider } from './engines';

/** The components of the AWS part (`aws:`). */
export const AWS_COMPONENTS = [targetGroups, listener, capacity, jobs, databaseAccess, flags, beanstalk, databases, route53] as const;

/** The components of the Cloudflare part (`cloudflare:`). */
export const CLOUDFLARE_COMPONENTS = [gate, appWorkers, bots, cloudflareRecords, downPage, alerts] as const;

/** A component of any kind, for code that loops over the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyComponent = Component<string, any, any, any>;

/** Every component, AWS first. */
export const COMPONENTS: readonly AnyComponent[] = [...AWS_COMPONENTS, ...CLOUDFLARE_COMPONENTS];

/** The components of one provider. */
export function componentsOf(provider: Provider): readonly AnyComponent[] {
  return provider === 'aws' ? AWS_COMPONENTS : CLOUDFLARE_COMPONENTS;
}
