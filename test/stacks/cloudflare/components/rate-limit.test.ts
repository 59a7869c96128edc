/**
 * The bypass path's rate-limiting rule under Pulumi mocks: one `cloudflare.Ruleset` per gate zone
 * (kind zone, phase http_ratelimit), matching the bypass path, with a period, mitigation timeout
 * and characteristics each within what the zone's plan allows; the same in every mode.
 */
import type { Estate, ModeState } from '../../../../modes/schema';
import { BYPASS_RATE_LIMITS, bypassRateLimitRule, type ZonePlan } from '../../../../stacks/cloudflare/components/gate';
import { cloudflareResources, type CloudflareResource } from '../../../../stacks/cloudflare/preview';
import { REPLACE_ON_CHANGE } from '../../../../stacks/cloudflare/replacement';
import { cloudflareEstates, maintenance, normal, only } from '../cases';

/** What each plan allows (developers.cloudflare.com/waf/rate-limiting-rules, "Availability"). */
const ALLOWED: Record<ZonePlan, { periods: number[]; timeouts: number[] }> = {
  free: { periods: [10], timeouts: [10] },
  pro: { periods: [10, 60], timeouts: [10, 60, 3600] },
  business: { periods: [10, 60, 600], timeouts: [10, 60, 3600, 86400] },
  enterprise: { periods: [10, 60, 120, 300, 600, 3600], timeouts: [0, 10, 60, 120, 300, 600, 3600, 86400] },
};

const withGate = cloudflareEstates.filter(({ estate }) => !!estate.cloudflare?.gate);
const zonesOf = (estate: Estate) => [...new Set(estate.cloudflare!.gate!.routes.map((r) => r.zone))];
const planOf = (estate: Estate, zone: string) => estate.cloudflare!.zones.find((z) => z.id === zone)!.plan as ZonePlan;

describe('GIVEN each plan', () => {
  test.each(Object.keys(ALLOWED) as ZonePlan[])('WHEN the rule is made for %s THEN period, timeout and characteristics are ones the plan allows', (plan) => {
    const rule = bypassRateLimitRule('/__drawbridge/bypass', plan);
    const limit = rule.ratelimit as { period: number; mitigationTimeout: number; characteristics: string[]; requestsPerPeriod: number };
    expect(ALLOWED[plan].periods).toContain(limit.period);
    expect(ALLOWED[plan].timeouts).toContain(limit.mitigationTimeout);
    expect(limit.characteristics).toEqual(['cf.colo.id', 'ip.src']);
    expect(limit.requestsPerPeriod).toBeGreaterThanOrEqual(1);
    expect(limit.requestsPerPeriod).toBeLessThanOrEqual(10);
    expect(rule).toMatchObject({ action: 'block', enabled: true, expression: '(http.request.uri.path eq "/__drawbridge/bypass")' });
  });

  test('WHEN the path holds a quote or a backslash THEN the expression string is escaped', () => {
    expect(bypassRateLimitRule('/a"b\\c').expression).toBe('(http.request.uri.path eq "/a\\"b\\\\c")');
  });

  test('the free plan is exactly what Cloudflare allows it: 10 s period, 10 s timeout, counted per data centre and IP', () => {
    expect(BYPASS_RATE_LIMITS.free).toMatchObject({ period: 10, mitigationTimeout: 10, characteristics: ['cf.colo.id', 'ip.src'] });
  });
});

describe.each(withGate.map(({ estate }) => [estate.name, estate] as const))('GIVEN the %s estate with a gate', (_name, estate) => {
  const rulesets = async (state: ModeState): Promise<CloudflareResource[]> => only(await cloudflareResources(estate, state), 'Ruleset');

  test('WHEN it is rendered THEN each gate zone has one http_ratelimit zone ruleset on the bypass path, within its plan', async () => {
    const found = await rulesets(normal);
    expect(found.map((r) => r.name).sort()).toEqual(zonesOf(estate).map((z) => `${estate.name}-gate-ratelimit-${z}`).sort());
    for (const zone of zonesOf(estate)) {
      const r = found.find((x) => x.name === `${estate.name}-gate-ratelimit-${zone}`)!;
      const zoneId = estate.cloudflare!.zones.find((z) => z.id === zone)!.zoneId;
      expect(r.type).toBe('cloudflare:index/ruleset:Ruleset');
      expect(r.inputs).toMatchObject({ zoneId, kind: 'zone', phase: 'http_ratelimit' });
      const rules = r.inputs.rules as { expression: string; action: string; ratelimit: { period: number; mitigationTimeout: number; characteristics: string[] } }[];
      expect(rules).toHaveLength(1);
      expect(rules[0]!.expression).toBe(`(http.request.uri.path eq "${estate.cloudflare!.gate!.bypass.path}")`);
      expect(rules[0]!.action).toBe('block');
      const plan = planOf(estate, zone);
      expect(ALLOWED[plan].periods).toContain(rules[0]!.ratelimit.period);
      expect(ALLOWED[plan].timeouts).toContain(rules[0]!.ratelimit.mitigationTimeout);
      expect(rules[0]!.ratelimit.characteristics).toContain('cf.colo.id');
    }
  });

  test('WHEN it enters maintenance THEN the rulesets are the same (the bypass answers in every mode)', async () => {
    expect(await rulesets(maintenance)).toEqual(await rulesets(normal));
  });
});

test('a changed zone, kind or phase replaces the ruleset', () => {
  expect(REPLACE_ON_CHANGE['cloudflare:index/ruleset:Ruleset']).toEqual(expect.arrayContaining(['zoneId', 'kind', 'phase']));
});
