/**
 * Fleet scale: an estate with N sites (each with its target group, listener rule, Auto Scaling group,
 * job, database access, flag, Route53 and Cloudflare records and gate route), diffed normal ->
 * maintenance on both engines as `drawbridge diff` does, for N = 1, 10, 50, 500. Each N runs in a
 * fresh process so peak memory is its own. Goals: 500 sites in under 60 s, t(500)/t(50) <= 11 (no
 * quadratic work), no unsafe change, every stack within CloudFormation's limits.
 *
 *   npx tsx bench/fleet.ts             # the table
 *   npx tsx bench/fleet.ts --one 500   # one measurement (used by the table)
 */
import { spawnSync } from 'node:child_process';
import { EstateSchema, type Estate, type EstateInput } from '../modes/schema';

const SIZES = [1, 10, 50, 500];

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
  readonly maxOutputs: number;
  readonly maxParameters: number;
  readonly maxTemplateKiB: number;
  readonly changed: number;
  readonly unsafe: number;
}

const NORMAL = { mode: 'normal', live: 'blue', hardDown: false } as const;
const MAINTENANCE = { ...NORMAL, mode: 'maintenance' } as const;

/**
 * `drawbridge diff normal maintenance` on the fleet, in this process, as the CLI runs it: both mode
 * states synthesized (AWS, cdk-nag included) and rendered (Cloudflare), then compared. Timed after
 * the engines' modules are loaded.
 */
async function measureOne(n: number): Promise<Measurement> {
  const { diffEngines } = await import('../stacks/diff');
  const { synthAws } = await import('../stacks/aws/synth');
  const move = (estate: Estate) => diffEngines({ fromEstate: estate, from: NORMAL, estate, to: MAINTENANCE, pulumiStack: 'fleet', builtinValidation: false });
  // Load aws-cdk-lib's and Pulumi's modules first, so the figure is the work and not the module loading.
  await move(fleetEstate(1));
  const estate = fleetEstate(n);
  const t0 = process.hrtime.bigint();
  const d = await move(estate);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  // The templates' sizes, from one more synthesis outside the timing.
  const stacks = synthAws(estate, NORMAL, { builtinValidation: false }).stacks;
  const most = (count: (t: Record<string, unknown>) => number) => Math.max(...stacks.map((s) => count(s.template)));
  const changes = [...(d.aws?.stacks ?? []).flatMap((s) => s.changes), ...(d.cloudflare?.changes ?? [])];
  return {
    sites: n,
    seconds,
    peakMiB,
    stacks: stacks.length,
    maxResources: most((t) => Object.keys(t.Resources ?? {}).length),
    maxOutputs: most((t) => Object.keys(t.Outputs ?? {}).length),
    maxParameters: most((t) => Object.keys(t.Parameters ?? {}).length),
    maxTemplateKiB: most((t) => Buffer.byteLength(JSON.stringify(t)) / 1024),
    changed: changes.length,
    unsafe: d.unsafe.length,
  };
}

export async function main(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const results: Measurement[] = [];
  for (const n of SIZES) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--one', String(n)], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`fleet ${n} failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Measurement;
    results.push(m);
    const line = (k: string, v: number, unit = '') => {
      figures[k] = v;
      process.stdout.write(`${k}: ${Number.isInteger(v) ? v : v.toFixed(2)}${unit}\n`);
    };
    line(`fleet.${n}.seconds`, m.seconds, n === 500 ? ' s (goal < 60 s)' : ' s');
    line(`fleet.${n}.peak_rss_mib`, m.peakMiB, ' MiB');
    line(`fleet.${n}.stacks`, m.stacks);
    line(`fleet.${n}.max_resources_per_stack`, m.maxResources, ' (limit 500)');
    line(`fleet.${n}.max_outputs_per_stack`, m.maxOutputs, ' (limit 200)');
    line(`fleet.${n}.max_parameters_per_stack`, m.maxParameters, ' (limit 200)');
    line(`fleet.${n}.max_template_kib`, m.maxTemplateKiB, ' KiB (limit 976)');
    line(`fleet.${n}.changed_resources`, m.changed);
    line(`fleet.${n}.unsafe_changes`, m.unsafe, ' (goal 0)');
  }
  const t = (n: number) => results.find((r) => r.sites === n)!.seconds;
  figures['fleet.growth.t500_over_t50'] = t(500) / t(50);
  process.stdout.write(`fleet.growth.t500_over_t50: ${(t(500) / t(50)).toFixed(2)} (goal <= 11)\n`);
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
