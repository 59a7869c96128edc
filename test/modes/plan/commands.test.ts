import { describeChanges } from '../../../modes/changes';
import { plan, renderPlanMarkdown } from '../../../modes/plan';
import { resolve } from '../../../modes/resolve';
import type { Estate } from '../../../modes/schema';
import { effectiveModeState, supportedModeStates } from '../../../modes/state';
import { formatModeWord } from '../../../modes/words';
import { estateNamed, estates } from '../../support/estates';
import { commandsOf, planOf, pulumiUps, word } from './support';

describe('review: Pulumi commands target the plan\'s estate', () => {
  test('GIVEN an estate other than cdk.json\'s WHEN planning THEN every pulumi up (deploys, overrides, rollback) names it, and a note says how to point the stack at it', () => {
    const estate = estateNamed('ticketing');
    const p = plan(estate, word(estate, 'normal'), word(estate, 'maintenance'), { estateFile: 'estates/ticketing.yaml', defaultEstateFile: 'estates/default.yaml' });
    const ups = pulumiUps(p);
    expect(ups.length).toBeGreaterThanOrEqual(4); // window, deploy, override, rollback deploy and override
    for (const up of ups) expect(up).toBe('pulumi up --stack ticketing --config drawbridge:estate=estates/ticketing.yaml');
    expect(p.notes.filter((n) => n.includes('pulumi config set drawbridge:estate estates/ticketing.yaml --stack ticketing'))).toHaveLength(1);
  });

  test('GIVEN the estate cdk.json names WHEN planning THEN pulumi up names the stack only, and no note is added', () => {
    const estate = estateNamed('shop');
    const p = plan(estate, word(estate, 'normal'), word(estate, 'maintenance'), { estateFile: 'estates/default.yaml', defaultEstateFile: 'estates/default.yaml', pulumiStack: 'production' });
    expect(new Set(pulumiUps(p))).toEqual(new Set(['pulumi up --stack production']));
    expect(p.notes.join('\n')).not.toContain('drawbridge:estate');
  });
});

/** The Pulumi config a stack holds after running an override's `pulumi config` commands on `before`. */
function applyPulumiOverride(before: Record<string, string>, override: string): Record<string, string> {
  const config = { ...before };
  for (const cmd of override.split(' && ')) {
    const words = cmd.split(' ');
    if (cmd.startsWith('pulumi config set-all ')) {
      words.forEach((w, i) => {
        if (words[i - 1] === '--plaintext') {
          const [k, v] = w.split('=') as [string, string];
          config[k] = v;
        }
      });
    } else if (cmd.startsWith('pulumi config rm-all ')) {
      for (const w of words.slice(3)) if (w.startsWith('drawbridge:')) delete config[w];
      expect(words).toContain('--stack');
    } else if (cmd.startsWith('pulumi config ')) {
      throw new Error(`unexpected command ${cmd}`);
    }
  }
  return config;
}

function overridesOf(config: Record<string, string>) {
  return { mode: config['drawbridge:mode'], live: config['drawbridge:live'], target: config['drawbridge:target'], hardDown: config['drawbridge:hardDown'] };
}

describe('review: an emergency override gives exactly the TO state, whatever was set before', () => {
  // The default estate has colours, a cutover and a hard-down: every key matters.
  const shop = estateNamed('shop');
  const states = supportedModeStates(shop);
  const cases = states.flatMap((from) => states.filter((to) => to !== from).map((to): [string, string] => [formatModeWord(from), formatModeWord(to)]));

  /** Moves in which the engine changes something, so its deploy step carries an override. */
  const changing = (provider: 'aws' | 'cloudflare') =>
    cases.filter(([f, t]) => describeChanges(resolve(shop, word(shop, f)), resolve(shop, word(shop, t)))[provider].length > 0);
  const pulumiCases = changing('cloudflare');
  const cdkCases = changing('aws');

  test('GIVEN the default estate THEN most of its moves change each engine, so the override cases below are many', () => {
    expect(pulumiCases.length).toBeGreaterThanOrEqual(cases.length / 2);
    expect(cdkCases.length).toBeGreaterThanOrEqual(cases.length / 2);
  });

  test.each(pulumiCases)('GIVEN a stack overridden to %s WHEN running the Pulumi override to %s THEN the program reads exactly that state', (fromWord, toWord) => {
    const from = word(shop, fromWord);
    const to = word(shop, toWord);
    const p = plan(shop, from, to, { pulumiStack: 'production' });
    const override = p.steps.find((s) => s.id === 'deploy-cloudflare')?.override;
    expect(override).toBeDefined();
    // Before: the stack holds the override that put it in FROM (stale hardDown/target included).
    const entered = plan(shop, to, from, { pulumiStack: 'production' }).steps.find((s) => s.provider === 'cloudflare' && s.override)!.override!;
    const before = applyPulumiOverride({}, entered);
    expect(effectiveModeState(shop, overridesOf(before), 'drawbridge:', new Date(0)).state).toEqual(expect.objectContaining(from));
    const after = applyPulumiOverride(before, override!);
    const { state } = effectiveModeState(shop, overridesOf(after), 'drawbridge:', new Date(0));
    expect(formatModeWord(state)).toBe(toWord);
    expect(state.hardDown).toBe(to.hardDown);
    expect(state.target).toBe(to.mode === 'cutover' ? to.target : undefined);
  });

  test.each(cdkCases)('GIVEN an estate committed at %s WHEN running the CDK override to %s THEN the app reads exactly that state', (fromWord, toWord) => {
    const committed: Estate = { ...shop, state: word(shop, fromWord) };
    const p = plan(committed, committed.state, word(shop, toWord));
    const override = p.steps.find((s) => s.provider === 'aws' && s.override)?.override;
    expect(override).toBeDefined();
    const context = Object.fromEntries([...override!.matchAll(/--context (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    const { state } = effectiveModeState(committed, { mode: context.mode, live: context.live, target: context.target, hardDown: context.hardDown }, '--context', new Date(0));
    expect(formatModeWord(state)).toBe(toWord);
    expect(state.hardDown).toBe(word(shop, toWord).hardDown);
  });

  test('GIVEN a hard-down entered by override WHEN reading the rollback override THEN it sets hardDown false and removes target', () => {
    const p = plan(shop, word(shop, 'normal'), word(shop, 'maintenance:hard-down'), { pulumiStack: 'production' });
    const back = p.rollback!.steps.find((s) => s.id === 'deploy-cloudflare')!;
    expect(back.override).toBe(
      'pulumi config set-all --plaintext drawbridge:mode=normal --plaintext drawbridge:live=blue --plaintext drawbridge:hardDown=false --stack production' +
        ' && pulumi config rm-all drawbridge:target --stack production && pulumi up --stack production --config drawbridge:estate=estates/shop.yaml',
    );
    expect(back.overrideCleanup).toBe('pulumi config rm-all drawbridge:mode drawbridge:live drawbridge:target drawbridge:hardDown --stack production');
  });
});

describe('review: AWS CLI commands name the estate\'s region', () => {
  const withAws = estates.filter(({ estate }) => estate.aws).map(({ estate }) => [estate.name] as [string]);

  test.each(withAws)('GIVEN %s WHEN planning every move THEN every aws command the plan prints has --region of the estate', (name) => {
    const estate = estateNamed(name);
    const states = supportedModeStates(estate);
    let seen = 0;
    for (const from of states) {
      for (const to of states) {
        if (from === to) continue;
        const p = plan(estate, from, to);
        const texts = [...commandsOf(p), ...[...p.steps, ...(p.rollback?.steps ?? [])].filter((s) => s.source === 'drawbridge').map((s) => s.detail ?? '')];
        for (const text of texts) {
          for (const m of text.matchAll(/\baws (ssm|events|rds) [^)`]*/g)) {
            seen++;
            expect(m[0]).toContain(` --region ${estate.aws!.region}`);
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });

  test('GIVEN a cutover restored from a snapshot WHEN planning THEN the snapshot, its wait and its delete name the region', () => {
    const p = planOf('bridge', 'normal@blue', 'cutover@blue->green');
    expect(p.steps[0]!.command).toBe('aws rds create-db-snapshot --db-instance-identifier production-blue --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(p.steps[0]!.checks[0]!.command).toBe('aws rds wait db-snapshot-available --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(p.steps[0]!.detail).toContain('aws rds delete-db-snapshot --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
  });
});

describe('review: checks of what customers see are run from outside the staff bypass', () => {
  test('GIVEN a gate with allow-listed staff addresses WHEN entering and leaving maintenance THEN each check of the gate says to run it from outside the allow-list and without the cookie', () => {
    const p = planOf('shop', 'normal', 'maintenance');
    const gateChecks = [...p.steps, ...p.rollback!.steps].flatMap((s) => s.checks).filter((c) => c.url === 'https://www.example-shop.com/');
    expect(gateChecks.length).toBeGreaterThanOrEqual(4); // banner, page up, page still up behind AWS, site back
    for (const c of gateChecks) {
      expect(c.from).toContain('outside the bypass allow-list (not from 203.0.113.10, 198.51.100.0/24)');
      expect(c.from).toContain('without the drawbridge_bypass cookie');
    }
    expect(renderPlanMarkdown(p, estateNamed('shop'))).toMatch(/`GET https:\/\/www\.example-shop\.com\/` → \*\*503\*\* \(the maintenance page answers, with Retry-After; run it from outside the bypass allow-list/);
  });

  test('GIVEN an estate without a gate WHEN entering maintenance THEN checks carry no bypass advice', () => {
    const p = planOf('bridge', 'normal', 'maintenance');
    expect(p.steps.flatMap((s) => s.checks).some((c) => c.from)).toBe(false);
  });
});
