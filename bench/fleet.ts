/**
 * Fleet scale: an estate with N sites (each with its target group, listener rule, Auto Scaling group,
 * job, database access, flag, Route53 and Cloudflare records and gate route), synthesized and diffed
 * normal -> maintenance for N = 1, 10, 50. Each N runs in a fresh process so peak memory is its own.
 *
 *   npx tsx bench/fleet.ts            # the table
 *   npx tsx bench/fleet.ts --one 50   # one measurement (used by the table)
 */
import { spawnSync } from 'node:child_process';
import { EstateSchema, type Estate, type EstateInput } from '../modes/schema';

const SIZES = [1, 10, 50];

/** The estate of a fleet of `n` sites, as a user would write it (split by component past 30 sites). */
export function fleetEstate(n: number): Estate {
  const sites = Array.from({ length: n }, (_v, i) => `s${String(i + 1).padStart(3, '0')}`);
  const zone = 'fleet-example.com';
  const input: EstateInput = {
    name: 'fleet',
    site: { url: `https://www.${zone}`, healthPath: '/health' },
    brand: { name: 'Fleet' },
    window: {
      reason: 'Fleet-wide upgrade',
      announce: '2030-01-01T00:00:00Z',
      start: '2030-01-02T00:00:00Z',
      end: '2030-01-02T02:00:00Z',
      timeZones: ['Europe/London', 'America/New_York'],
    },
    aws: {
      account: '123456789012',
      region: 'eu-west-2',
      split: n > 30 ? 'component' : 'none',
      vpc: { id: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-2a', 'eu-west-2b'], privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'] },
      loadBalancer: {
        arn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/fleet/50dc6c495c0c9188',
        dnsName: 'fleet-1.eu-west-2.elb.amazonaws.com',
        canonicalHostedZoneId: 'ZHURV8PSTC4K8',
        securityGroupId: 'sg-0a1b2c3d4e5f60099',
        listener: {
          protocol: 'HTTPS',
          certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/5b3c1e0a-7f9d-4c2e-9a61-0d8f2b7e4c11',
          default: { targetGroups: [sites[0]!] },
          rules: sites.map((s, i) => ({ priority: i + 1, hosts: [`${s}.${zone}`], targetGroups: [s] })),
        },
      },
      targetGroups: sites.map((s) => ({ id: s, name: `fleet-${s}`, healthPath: '/health', maintenanceHealthPath: '/health-maintenance' })),
      autoScalingGroups: sites.map((s) => ({ id: s, name: `fleet-${s}`, launchTemplateId: 'lt-0a1b2c3d4e5f60701', min: 2, max: 4, targetGroups: [s], notifications: { topicArn: 'arn:aws:sns:eu-west-2:123456789012:fleet-scaling-events' } })),
      scheduledJobs: sites.map((s) => ({ id: s, name: `fleet-${s}-jobs`, schedule: 'rate(5 minutes)', targetArn: `arn:aws:lambda:eu-west-2:123456789012:function:fleet-${s}` })),
      databaseAccess: sites.map((s, i) => ({ id: s, name: `fleet-${s}-db`, description: `${s} app to its database`, port: 5432, allowFrom: [{ securityGroupId: `sg-${(0x10000000 + i).toString(16)}` }] })),
      parameters: sites.map((s) => ({ id: s, name: `/fleet/${s}/maintenance`, flag: 'maintenance' as const })),
      dns: { hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: zone }, records: sites.map((s) => ({ id: s, name: `${s}-origin.${zone}`, type: 'A' as const, target: { loadBalancer: true as const } })) },
    },
    cloudflare: {
      accountId: '0123456789abcdef0123456789abcdef',
      zones: [{ id: 'fleet', zoneId: '3b1e4b2a9c8d7e6f5a4b3c2d1e0f9a8b', name: zone, plan: 'business' }],
      gate: { scriptName: 'fleet-gate', routes: sites.map((s) => ({ zone: 'fleet', pattern: `${s}.${zone}/*` })) },
      records: sites.map((s) => ({ id: s, zone: 'fleet', name: `${s}.${zone}`, type: 'CNAME' as const, target: { loadBalancer: true as const } })),
    },
  };
  return EstateSchema.parse(input);
}

interface Measurement {
  readonly sites: number;
  readonly seconds: number;
  readonly peakMiB: number;
  readonly stacks: number;
  readonly maxResources: number;
  readonly maxTemplateKiB: number;
  readonly changed: number;
  readonly unsafe: number;
}

/** Synthesizes normal and maintenance and diffs them, in this process. */
async function measureOne(n: number): Promise<Measurement> {
  const { synthAws } = await import('../stacks/aws/synth');
  const { diffStacks } = await import('../stacks/aws/diff');
  const estate = fleetEstate(n);
  // Load aws-cdk-lib's modules first, so the figure is the synthesis and not the module loading.
  synthAws(fleetEstate(1), { mode: 'normal', live: 'blue', hardDown: false });
  const t0 = process.hrtime.bigint();
  const normal = synthAws(estate, { mode: 'normal', live: 'blue', hardDown: false }).stacks;
  const maintenance = synthAws(estate, { mode: 'maintenance', live: 'blue', hardDown: false }).stacks;
  const diffs = diffStacks(normal, maintenance);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const changes = diffs.flatMap((d) => d.changes);
  return {
    sites: n,
    seconds,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    stacks: normal.length,
    maxResources: Math.max(...normal.map((s) => Object.keys(s.template.Resources).length)),
    maxTemplateKiB: Math.max(...normal.map((s) => Buffer.byteLength(JSON.stringify(s.template)) / 1024)),
    changed: changes.length,
    unsafe: changes.filter((c) => c.replacement || c.action === 'remove').length,
  };
}

export async function main(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const results: Measurement[] = [];
  for (const n of SIZES) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', String(n)], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`fleet ${n} failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Measurement;
    results.push(m);
    const line = (k: string, v: number, unit = '') => {
      figures[k] = v;
      process.stdout.write(`${k}: ${Number.isInteger(v) ? v : v.toFixed(2)}${unit}\n`);
    };
    line(`fleet.${n}.seconds`, m.seconds, ' s');
    line(`fleet.${n}.peak_rss_mib`, m.peakMiB, ' MiB');
    line(`fleet.${n}.stacks`, m.stacks);
    line(`fleet.${n}.max_resources_per_stack`, m.maxResources, ` (limit 500)`);
    line(`fleet.${n}.max_template_kib`, m.maxTemplateKiB, ' KiB (limit 976)');
    line(`fleet.${n}.changed_resources`, m.changed);
    line(`fleet.${n}.unsafe_changes`, m.unsafe, ' (goal 0)');
  }
  const t = (n: number) => results.find((r) => r.sites === n)!.seconds;
  figures['fleet.growth.t50_over_t10'] = t(50) / t(10);
  process.stdout.write(`fleet.growth.t50_over_t10: ${(t(50) / t(10)).toFixed(2)} (goal <= 5.5)\n`);
  process.stdout.write(`fleet.50.under_60s: ${t(50) < 60 ? 'yes' : 'no'}\n`);
  return figures;
}

if (require.main === module) {
  const one = process.argv.indexOf('--one');
  if (one > 0) {
    void measureOne(Number(process.argv[one + 1])).then((m) => process.stdout.write(`${JSON.stringify(m)}\n`));
  } else {
    void main();
  }
}
