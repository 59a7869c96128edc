/**
 * fast-check arbitraries of valid estates: every generated value passes the estate schema, so the
 * property suite exercises resolve() and the engines, not the validator.
 */
import fc from 'fast-check';
import { EstateSchema, type Estate, type EstateInput } from '../../modes/schema';

// Arbitraries are built once: compiling a stringMatching regex costs far more than sampling it.
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const idString = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const ids = (min: number, max: number) => fc.uniqueArray(idString, { minLength: min, maxLength: max });
const colour = fc.constantFrom('blue' as const, 'green' as const);
const path = fc.stringMatching(/^\/[a-z0-9-]{0,12}$/);

interface Shape {
  readonly name: string;
  readonly blueGreen: boolean;
  readonly zone: string;
}

function awsPart(shape: Shape) {
  const { name, blueGreen, zone } = shape;
  const maybeColour = blueGreen ? fc.option(colour, { nil: undefined }) : fc.constant(undefined);
  return fc
    .record({
      tgIds: ids(0, 4),
      tgColours: fc.array(maybeColour, { minLength: 4, maxLength: 4 }),
      healthPaths: fc.array(fc.tuple(path, path), { minLength: 4, maxLength: 4 }),
      asgIds: ids(0, 3),
      asgSizes: fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 5 })), { minLength: 3, maxLength: 3 }),
      asgColours: fc.array(maybeColour, { minLength: 3, maxLength: 3 }),
      // Each group says where its scaling notifications go (a topic of the estate's account and region) or why it needs none.
      asgNotified: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      jobIds: ids(0, 3),
      jobColours: fc.array(maybeColour, { minLength: 3, maxLength: 3 }),
      dbColours: fc.array(maybeColour, { minLength: 1, maxLength: 3 }),
      withDb: fc.boolean(),
      paramIds: ids(0, 3),
      paramFlags: fc.array(fc.constantFrom('maintenance' as const, 'readOnly' as const), { minLength: 3, maxLength: 3 }),
      paramColours: fc.array(maybeColour, { minLength: 3, maxLength: 3 }),
      withBeanstalk: blueGreen ? fc.boolean() : fc.constant(false),
      withPayment: fc.boolean(),
      withListener: fc.boolean(),
      // never `origin`: the Cloudflare www record points at origin.<zone>, a name Route 53 must not be the only one to declare
      recordIds: ids(0, 3).map((list) => list.filter((id) => id !== 'origin')),
      recordTtl: fc.integer({ min: 30, max: 3600 }),
      recordTransitionTtl: fc.option(fc.integer({ min: 30, max: 300 }), { nil: undefined }),
    })
    .map((g) => {
      const targetGroups = g.tgIds.map((id, i) => ({
        id,
        name: `${name}-${id}`.slice(0, 32),
        healthPath: g.healthPaths[i]![0],
        maintenanceHealthPath: g.healthPaths[i]![1],
        ...(g.tgColours[i] ? { colour: g.tgColours[i] } : {}),
      }));
      // A listener forwards to the first group, or to a colour pair when there is one.
      const blue = targetGroups.find((t) => t.colour === 'blue');
      const green = targetGroups.find((t) => t.colour === 'green');
      const defaultGroups = blue && green ? [blue.id, green.id] : targetGroups[0] ? [targetGroups[0].id] : [];
      const withLb = g.withListener && defaultGroups.length > 0;
      const beanstalk = g.withBeanstalk
        ? {
            application: `${name}-app`,
            solutionStackName: '64bit Amazon Linux 2023 v4.3.0 running Python 3.11',
            instanceProfile: 'eb-ec2',
            serviceRole: 'eb-service',
            min: 2,
            max: 3,
            ...(g.withPayment ? { paymentSecret: { variable: 'PAYMENT_SECRET_ARN', secretArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:pay-AbCdEf' } } : {}),
            environments: (['blue', 'green'] as const).map((c) => ({ id: `env-${c}`, colour: c, name: `${name}-${c}`, cnamePrefix: `${name}-${c}-env` })),
          }
        : undefined;
      return {
        account: '123456789012',
        region: 'eu-west-2',
        vpc: { id: 'vpc-0a1b2c3d4e5f60718', availabilityZones: ['eu-west-2a'], privateSubnetIds: ['subnet-0a1b2c3d4e5f60001'], publicSubnetIds: ['subnet-0a1b2c3d4e5f60101'] },
        ...(withLb
          ? {
              loadBalancer: {
                arn: 'arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/x/1',
                dnsName: 'x-1.eu-west-2.elb.amazonaws.com',
                canonicalHostedZoneId: 'ZHURV8PSTC4K8',
                securityGroupId: 'sg-0a1b2c3d4e5f60099',
                listener: { protocol: 'HTTP' as const, port: 80, default: { targetGroups: defaultGroups } },
              },
            }
          : {}),
        targetGroups,
        autoScalingGroups: g.asgIds.map((id, i) => {
          const [min, extra] = g.asgSizes[i]!;
          return {
            id,
            name: `${name}-${id}`,
            launchTemplateId: 'lt-0a1b2c3d4e5f60701',
            min,
            max: min + extra,
            ...(g.asgColours[i] ? { colour: g.asgColours[i] } : {}),
            notifications: g.asgNotified[i] ? { topicArn: `arn:aws:sns:eu-west-2:123456789012:${name}-scaling` } : { none: 'A generated group that nobody is paged about.' },
            targetGroups: targetGroups.filter((t) => t.colour === g.asgColours[i]).map((t) => t.id).slice(0, 1),
          };
        }),
        scheduledJobs: g.jobIds.map((id, i) => ({ id, name: `${name}-${id}`, schedule: 'rate(5 minutes)', ...(g.jobColours[i] ? { colour: g.jobColours[i] } : {}) })),
        databaseAccess: g.withDb
          ? [{ id: 'db', name: `${name}-db`, description: 'app to db', port: 5432, allowFrom: g.dbColours.map((c, i) => ({ securityGroupId: `sg-0a1b2c3d4e5f6010${i}`, ...(c ? { colour: c } : {}) })) }]
          : [],
        parameters: g.paramIds.map((id, i) => ({ id, name: `/${name}/${id}`, flag: g.paramFlags[i]!, ...(g.paramColours[i] ? { colour: g.paramColours[i] } : {}) })),
        ...(beanstalk ? { beanstalk } : {}),
        databases: beanstalk
          ? [
              { id: 'db-blue', colour: 'blue' as const, identifier: `${name}-blue`, engineVersion: '16.4', instanceClass: 'db.t3.small' },
              { id: 'db-green', colour: 'green' as const, identifier: `${name}-green`, engineVersion: '16.4', instanceClass: 'db.t3.small', snapshotIdentifier: `${name}-blue-snap` },
            ]
          : [],
        dns: {
          hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: zone },
          records: g.recordIds.map((id, i) => ({
            id,
            name: `${id}.${zone}`,
            ttl: g.recordTtl,
            ...(g.recordTransitionTtl ? { transitionTtl: g.recordTransitionTtl } : {}),
            ...(beanstalk && i === 0
              ? { type: 'CNAME' as const, target: { beanstalk: true as const } }
              : blueGreen && i === 1
                ? { type: 'A' as const, target: { colours: { blue: '192.0.2.1', green: '192.0.2.2' } } }
                : withLb && i === 2
                  ? { type: 'A' as const, target: { loadBalancer: true as const } }
                  : { type: 'CNAME' as const, target: { value: `origin.${zone}` } }),
          })),
        },
      };
    });
}

function cloudflarePart(shape: Shape) {
  const { name, blueGreen, zone } = shape;
  return fc
    .record({
      zoneId: hex32,
      accountId: hex32,
      plan: fc.constantFrom('free' as const, 'pro' as const, 'business' as const, 'enterprise' as const),
      withDownPage: fc.boolean(),
      withGate: fc.boolean(),
      withAppWorkers: fc.boolean(),
      // Alerts muted for the window: none, Datadog, PagerDuty or both, with a lead and a grace.
      alerts: fc.option(
        fc.record({ datadog: fc.boolean(), pagerduty: fc.boolean(), leadMinutes: fc.integer({ min: 0, max: 240 }), graceMinutes: fc.integer({ min: 0, max: 720 }) }),
        { nil: undefined },
      ),
      allowIps: fc.array(fc.ipV4(), { maxLength: 3 }),
      healthPaths: fc.uniqueArray(path, { maxLength: 3 }),
    })
    .map((c) => ({
      accountId: c.accountId,
      zones: [{ id: 'main', zoneId: c.zoneId, name: zone, plan: c.plan }],
      // The gate is optional: a site's own Workers (appWorkers) or application may hold the public instead.
      ...(c.withGate || !c.withAppWorkers ? { gate: { scriptName: `${name}-gate`, routes: [{ zone: 'main', pattern: `www.${zone}/*` }], healthPaths: c.healthPaths, bypass: { allowIps: c.allowIps } } } : {}),
      ...(c.withAppWorkers
        ? { appWorkers: { namespace: `${name}-flags`, workers: [{ id: 'web', scriptName: `${name}-web`, zone: 'main', maintenance: 'MAINTENANCE', readOnly: 'READ_ONLY', completionTimes: { COMPLETION_TIME: 'UTC' } }] } }
        : {}),
      ...(c.alerts
        ? {
            alerts: {
              leadMinutes: c.alerts.leadMinutes,
              graceMinutes: c.alerts.graceMinutes,
              ...(c.alerts.datadog || !c.alerts.pagerduty ? { datadog: { monitorTags: [`service:${name}`, 'env:prod'] } } : {}),
              ...(c.alerts.pagerduty ? { pagerduty: { serviceIds: ['PIJ90N7'] } } : {}),
            },
          }
        : {}),
      records: [
        {
          id: 'www',
          zone: 'main',
          name: `www.${zone}`,
          type: 'CNAME' as const,
          target: { value: `origin.${zone}` },
          downPageOnHardDown: c.withDownPage,
        },
        ...(blueGreen ? [{ id: 'app', zone: 'main', name: `app.${zone}`, type: 'A' as const, proxied: false, ttl: 300, target: { colours: { blue: '192.0.2.1', green: '192.0.2.2' } } }] : []),
      ],
      ...(c.withDownPage ? { downPage: { projectName: `${name}-down` } } : {}),
    }));
}

/** A valid estate (already parsed by the schema). */
export const estateArbitrary: fc.Arbitrary<Estate> = fc
  .record({
    name: fc.stringMatching(/^[a-z][a-z0-9]{2,10}$/),
    blueGreen: fc.boolean(),
    withAws: fc.boolean(),
    withCloudflare: fc.boolean(),
    withWindow: fc.boolean(),
    start: fc.integer({ min: 0, max: 1000 }),
    hours: fc.integer({ min: 1, max: 12 }),
    zones: fc.subarray(['Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Australia/Sydney', 'UTC'], { minLength: 1 }),
  })
  .chain((base) => {
    const shape: Shape = { name: base.name, blueGreen: base.blueGreen, zone: `${base.name}.example.com` };
    return fc.record({
      base: fc.constant(base),
      aws: base.withAws || !base.withCloudflare ? awsPart(shape) : fc.constant(undefined),
      cloudflare: base.withCloudflare ? cloudflarePart(shape) : fc.constant(undefined),
    });
  })
  .map(({ base, aws, cloudflare }) => {
    const start = Date.UTC(2030, 0, 1) + base.start * 3_600_000;
    const input: EstateInput = {
      name: base.name,
      site: { url: `https://www.${base.name}.example.com`, healthPath: '/health' },
      brand: { name: base.name.toUpperCase() },
      ...(base.withWindow
        ? {
            window: {
              reason: 'Planned work',
              announce: new Date(start - 86_400_000).toISOString(),
              start: new Date(start).toISOString(),
              end: new Date(start + base.hours * 3_600_000).toISOString(),
              timeZones: base.zones,
            },
          }
        : {}),
      ...(aws ? { aws } : {}),
      ...(cloudflare ? { cloudflare } : {}),
    };
    return EstateSchema.parse(input);
  });
