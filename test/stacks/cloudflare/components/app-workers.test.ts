import type { DesiredAppWorkerKey } from '../../../../modes/desired';
import { APP_WORKERS_TYPE, appWorkersNames, appWorkersRenderer, workersKvArgs } from '../../../../stacks/cloudflare/components/app-workers';
import { cloudflareResources, type CloudflareResource } from '../../../../stacks/cloudflare/preview';
import { estateNamed, maintenance, normal, only } from '../cases';

const ACCOUNT = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const NAMESPACE_ID = 'tickets-app-workers-id'; // what the mocks give the namespace: `<name>-id`
const UK = 'Sun 17 Mar 2030, 09:00 GMT';

describe('workersKvArgs', () => {
  test.each<[string, DesiredAppWorkerKey, Record<string, unknown>]>([
    ['a flag', { key: 'MAINTENANCE', kind: 'maintenance', name: 'web/MAINTENANCE', value: '1' }, { keyName: 'web/MAINTENANCE', value: '1' }],
    ['a completion time', { key: 'COMPLETION_TIME_UK', kind: 'completionTime', name: 'web/COMPLETION_TIME_UK', value: UK, timeZone: 'Europe/London' }, { keyName: 'web/COMPLETION_TIME_UK', value: UK }],
    ['a completion time without a window', { key: 'END', kind: 'completionTime', name: 'api/END', value: '', timeZone: 'UTC' }, { keyName: 'api/END', value: '' }],
  ])('GIVEN %s THEN the key is written under its name in the namespace, nothing else set', (_what, key, expected) => {
    expect(workersKvArgs(ACCOUNT, 'ns-id', key)).toEqual({ accountId: ACCOUNT, namespaceId: 'ns-id', ...expected });
  });
});

describe('the app Workers renderer under Pulumi mocks', () => {
  const render = (state = normal) => cloudflareResources(estateNamed('tickets'), state);
  const declared = (rs: CloudflareResource[]) => rs.filter((r) => r.urn.includes(`::${APP_WORKERS_TYPE}$`)).map((r) => [r.type.split(':').pop(), r.name, r.inputs]);

  test('GIVEN runbook 000\'s Workers WHEN rendered in normal mode THEN one namespace and one key per Worker and key, in estate order', async () => {
    const key = (worker: string, k: string, value: string) => ['WorkersKv', appWorkersNames.key('tickets', worker, k), { accountId: ACCOUNT, namespaceId: NAMESPACE_ID, keyName: `${worker}/${k}`, value }];
    expect(declared(await render())).toEqual([
      ['WorkersKvNamespace', 'tickets-app-workers', { accountId: ACCOUNT, title: 'tickets-maintenance' }],
      key('web', 'MAINTENANCE', '0'),
      key('web', 'READ_ONLY', '0'),
      key('web', 'COMPLETION_TIME_UK', UK),
      key('web', 'COMPLETION_TIME_ET', 'Sun 17 Mar 2030, 05:00 EDT'),
      key('web', 'COMPLETION_TIME_PT', 'Sun 17 Mar 2030, 02:00 PDT'),
      key('web-services', 'MAINTENANCE', '0'),
    ]);
  });

  test('GIVEN maintenance WHEN rendered THEN only the MAINTENANCE values change, under the same URNs', async () => {
    const [before, after] = [await render(), await render(maintenance)];
    const kv = (rs: CloudflareResource[]) => only(rs, 'WorkersKv');
    expect(kv(after).map((r) => r.urn)).toEqual(kv(before).map((r) => r.urn));
    const changed = kv(after).filter((r, i) => JSON.stringify(r.inputs) !== JSON.stringify(kv(before)[i]!.inputs));
    expect(changed.map((r) => [r.inputs.keyName, r.inputs.value])).toEqual([
      ['web/MAINTENANCE', '1'],
      ['web-services/MAINTENANCE', '1'],
    ]);
  });

  test('GIVEN the rendering THEN every resource sits under the AppWorkers component, and each key names the namespace by its id', async () => {
    const resources = declared(await render());
    expect(resources).toHaveLength(7);
    for (const r of only(await render(), 'WorkersKv')) {
      expect(r.urn).toContain(`::${APP_WORKERS_TYPE}$cloudflare:index/workersKv:WorkersKv::`);
      expect(r.inputs.namespaceId).toBe(NAMESPACE_ID);
    }
  });

  test('GIVEN an estate without appWorkers THEN the renderer declares nothing and exports nothing', async () => {
    expect(declared(await cloudflareResources(estateNamed('shop'), normal))).toEqual([]);
    const shop = estateNamed('shop');
    expect(appWorkersRenderer.render({ estate: 'shop', desired: { accountId: shop.cloudflare!.accountId, bots: [], records: [] }, bypassSecret: '' }, {})).toEqual({});
  });

  test('GIVEN the renderer THEN it states what replaces its resources (terraform RequiresReplace)', () => {
    expect(appWorkersRenderer.replaceOnChange).toEqual({
      'cloudflare:index/workersKvNamespace:WorkersKvNamespace': ['accountId'],
      'cloudflare:index/workersKv:WorkersKv': ['accountId', 'namespaceId', 'keyName'],
    });
  });
});
