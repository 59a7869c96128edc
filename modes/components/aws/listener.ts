/**
 * The load balancer (imported by attributes, never created) and its listener: a weighted forward per
 * action whose shape is the same in every mode, only its weights change (live colour 100, the other
 * 0), so the listener is always updated in place.
 */
import { z } from 'zod';
import { isActive } from '../../colours';
import { changeOf, defineComponent, references, type Change } from '../../component';
import type { DesiredListener, WeightedForward } from '../../desired';
import { arn, hostedZoneId, hostname, id, path, port, sgId } from '../../fields';
import { arnInEstate } from './arns';

/** Weight given to a target group in a weighted forward (ALB weights are 0..999). */
export const LIVE_WEIGHT = 100;

const ListenerAction = z.strictObject({
  targetGroups: z
    .array(id)
    .min(1)
    .max(5)
    .describe('Target group ids; several only when they are colours of one service (weights follow the mode).'),
});

const Listener = z.strictObject({
  port: port.default(443),
  protocol: z.enum(['HTTP', 'HTTPS']).default('HTTPS'),
  certificateArn: arn('acm').optional(),
  sslPolicy: z.string().default('ELBSecurityPolicy-TLS13-1-2-2021-06'),
  default: ListenerAction,
  rules: z
    .array(
      ListenerAction.extend({
        priority: z.number().int().min(1).max(50000),
        hosts: z.array(hostname).max(5).optional(),
        paths: z.array(path).max(5).optional(),
      }),
    )
    .default([]),
});

const LoadBalancer = z.strictObject({
  arn: arn('elasticloadbalancing'),
  dnsName: z.string().regex(/\.elb\.amazonaws\.com$/, 'must be the load balancer DNS name (...elb.amazonaws.com)'),
  canonicalHostedZoneId: hostedZoneId,
  securityGroupId: sgId,
  listener: Listener.optional(),
});

type ListenerItem = DesiredListener & { readonly id: 'listener' };

export const listener = defineComponent({
  kind: 'listener',
  provider: 'aws',
  key: 'loadBalancer',
  schema: LoadBalancer.optional(),
  rules: [
    function arnsInTheEstate(lb, ctx) {
      arnInEstate(lb?.arn, 'load balancer', ctx, ['arn']);
      arnInEstate(lb?.listener?.certificateArn, 'listener certificate', ctx, ['listener', 'certificateArn']);
    },
    function httpsNeedsCertificate(lb, ctx) {
      if (lb?.listener?.protocol === 'HTTPS' && !lb.listener.certificateArn) ctx.report(['listener', 'certificateArn'], 'an HTTPS listener needs certificateArn (arn:aws:acm:...)');
    },
    function actionsForwardToKnownColourPairs(lb, ctx) {
      const listener = lb?.listener;
      if (!listener) return;
      const known = new Set(ctx.facts.targetGroups.map((t) => t.id));
      const actions = [{ a: listener.default, at: ['listener', 'default'] }, ...listener.rules.map((r, i) => ({ a: r, at: ['listener', 'rules', i] }))];
      for (const { a, at } of actions) {
        references(known, 'target group', a.targetGroups, [...at, 'targetGroups'], ctx);
        const colours = a.targetGroups.map((t) => ctx.facts.targetGroups.find((g) => g.id === t)?.colour);
        if (a.targetGroups.length > 1 && (colours.includes(undefined) || new Set(colours).size !== colours.length)) {
          ctx.report([...at, 'targetGroups'], `several target groups in one action must be one per colour (blue, green); got ${a.targetGroups.join(', ')}`);
        }
      }
    },
    function rulesHavePrioritiesAndConditions(lb, ctx) {
      const priorities = new Set<number>();
      (lb?.listener?.rules ?? []).forEach((r, i) => {
        if (priorities.has(r.priority)) ctx.report(['listener', 'rules', i, 'priority'], `duplicate priority ${r.priority}; each rule needs its own`);
        priorities.add(r.priority);
        if (!r.hosts && !r.paths) ctx.report(['listener', 'rules', i], 'a rule needs hosts or paths to match');
      });
    },
  ],
  resolve: (lb, { state, facts }) => {
    if (!lb) return {};
    const colourOf = new Map(facts.targetGroups.map((t) => [t.id, t.colour]));
    const forward = (groups: readonly string[]): WeightedForward => ({
      targets: groups.map((tg) => ({ targetGroup: tg, weight: groups.length === 1 || isActive(colourOf.get(tg), state) ? LIVE_WEIGHT : 0 })),
    });
    const spec = lb.listener;
    const listener: DesiredListener | undefined = spec && {
      port: spec.port,
      protocol: spec.protocol,
      sslPolicy: spec.sslPolicy,
      ...(spec.certificateArn ? { certificateArn: spec.certificateArn } : {}),
      default: forward(spec.default.targetGroups),
      rules: spec.rules.map((r) => ({
        priority: r.priority,
        ...(r.hosts ? { hosts: r.hosts } : {}),
        ...(r.paths ? { paths: r.paths } : {}),
        ...forward(r.targetGroups),
      })),
    };
    return {
      loadBalancer: { arn: lb.arn, dnsName: lb.dnsName, canonicalHostedZoneId: lb.canonicalHostedZoneId, securityGroupId: lb.securityGroupId },
      ...(listener ? { listener } : {}),
    };
  },
  items: (aws): ListenerItem[] => (aws.listener ? [{ ...aws.listener, id: 'listener' }] : []),
  describe(x, y, { before, after }) {
    const c = changeOf(this, 'listener', 'listener');
    if (!x || !y) return [c(y ? 'add' : 'remove', `listener ${y ? 'added' : 'removed'}`, { effects: ['moves-traffic'] })];
    const tgName = (id: string) => after.targetGroups.find((t) => t.id === id)?.name ?? before.targetGroups.find((t) => t.id === id)?.name ?? id;
    const actions = [{ label: 'default action', a: x.default, b: y.default }, ...y.rules.map((r) => ({ label: `rule ${r.priority}`, a: x.rules.find((q) => q.priority === r.priority), b: r }))];
    const out: Change[] = [];
    for (const { label, a, b } of actions) {
      if (!a) {
        out.push(c('modify', `listener ${label} added`, { field: label }));
        continue;
      }
      const moved = b.targets.map((t) => ({ t, w: a.targets.find((q) => q.targetGroup === t.targetGroup)?.weight })).filter(({ t, w }) => w !== t.weight);
      if (moved.length) {
        out.push(
          c('modify', `listener ${label} weights: ${moved.map(({ t, w }) => `${tgName(t.targetGroup)} ${w ?? 'none'} -> ${t.weight}`).join(', ')}`, {
            field: `${label} weights`,
            from: Object.fromEntries(moved.map(({ t, w }) => [t.targetGroup, w ?? null])),
            to: Object.fromEntries(moved.map(({ t }) => [t.targetGroup, t.weight])),
            effects: ['moves-traffic'],
          }),
        );
      }
    }
    return out;
  },
  identity: (l) => [l.port, l.protocol, l.default.targets.map((t) => t.targetGroup)],
  invariants(aws, running) {
    const out: string[] = [];
    for (const action of [aws.listener?.default, ...(aws.listener?.rules ?? [])]) {
      for (const t of action?.targets ?? []) {
        const colour = aws.targetGroups.find((g) => g.id === t.targetGroup)?.colour;
        if (t.weight > 0 && colour && !running(colour)) out.push(`listener sends traffic to ${t.targetGroup} (${colour}), which is not running`);
      }
    }
    return out;
  },
});
