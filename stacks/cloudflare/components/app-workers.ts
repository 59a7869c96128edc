/**
 * The application's own Workers' flags (modes/components/cloudflare/app-workers.ts): one Workers KV
 * namespace Drawbridge owns and one key per Worker and flag (`<scriptName>/<KEY>`). The Workers
 * themselves are the application's: Drawbridge never uploads their code, it only writes the values
 * they read. Names come from the estate's name, the Worker ids and the key names, so a mode switch
 * only updates values.
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import { APP_WORKERS_NAMESPACE_OUTPUT, appWorkers } from '../../../modes/components/cloudflare/app-workers';
import type { DesiredAppWorkerKey, DesiredAppWorkers } from '../../../modes/desired';
import { defineCloudflareRenderer } from '../renderer';

export const APP_WORKERS_TYPE = 'drawbridge:cloudflare:AppWorkers';

export const appWorkersNames = {
  /** The component and its namespace. */
  appWorkers: (estate: string) => `${estate}-app-workers`,
  /** One key of one Worker (a key name has no dash, so worker id and key never run together). */
  key: (estate: string, worker: string, key: string) => `${estate}-app-workers-${worker}-${key}`,
} as const;

/** The WorkersKv inputs of one key in one mode. */
export function workersKvArgs(accountId: string, namespaceId: pulumi.Input<string>, key: DesiredAppWorkerKey): cloudflare.WorkersKvArgs {
  return { accountId, namespaceId, keyName: key.name, value: key.value };
}

export interface AppWorkerKeysProps {
  readonly estate: string;
  readonly accountId: string;
  /** `desired.cloudflare.appWorkers` for the mode being rendered. */
  readonly appWorkers: DesiredAppWorkers;
}

export class AppWorkerKeys extends pulumi.ComponentResource {
  readonly namespace: cloudflare.WorkersKvNamespace;
  /** Keys by their name in the namespace (`<scriptName>/<KEY>`). */
  readonly keys: ReadonlyMap<string, cloudflare.WorkersKv>;

  constructor(name: string, props: AppWorkerKeysProps, opts?: pulumi.ComponentResourceOptions) {
    super(APP_WORKERS_TYPE, name, {}, opts);
    const { estate, accountId } = props;
    this.namespace = new cloudflare.WorkersKvNamespace(appWorkersNames.appWorkers(estate), { accountId, title: props.appWorkers.namespace }, { parent: this });
    this.keys = new Map(
      props.appWorkers.workers.flatMap((w) =>
        w.keys.map((k) => [k.name, new cloudflare.WorkersKv(appWorkersNames.key(estate, w.id, k.key), workersKvArgs(accountId, this.namespace.id, k), { parent: this })] as const),
      ),
    );
    this.registerOutputs({ namespaceId: this.namespace.id });
  }
}

export const appWorkersRenderer = defineCloudflareRenderer({
  component: appWorkers,
  type: APP_WORKERS_TYPE,
  // terraform-provider-cloudflare v5 (internal/services/workers_kv*/schema.go): RequiresReplace on
  // account_id for the namespace (its title is renamed in place), and on account_id, namespace_id
  // and key_name for a key (its value is written in place).
  replaceOnChange: {
    'cloudflare:index/workersKvNamespace:WorkersKvNamespace': ['accountId'],
    'cloudflare:index/workersKv:WorkersKv': ['accountId', 'namespaceId', 'keyName'],
  },
  render({ estate, desired }, opts) {
    if (!desired.appWorkers) return {};
    const keys = new AppWorkerKeys(appWorkersNames.appWorkers(estate), { estate, accountId: desired.accountId, appWorkers: desired.appWorkers }, opts);
    return { [APP_WORKERS_NAMESPACE_OUTPUT]: keys.namespace.id };
  },
});
