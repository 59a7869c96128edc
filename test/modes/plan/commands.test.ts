import { ENGINES } from '../../../modes/engines';
import { plan, renderPlanMarkdown } from '../../../modes/plan';
import type { Estate } from '../../../modes/schema';
import { effectiveModeState, supportedModeStates } from '../../../modes/state';
import { formatModeWord } from '../../../modes/words';
import { estateNamed, estates } from '../../support/estates';
import { commandsOf, committedBefore, deploys, planOf, pulumiUps, statePairs, word } from './support';

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
  return { mode: config['drawbridge:mode'], live: config['drawbridge:live'], target: config['drawbridge:target'], hardDown: config['drawbridge:hardDown'], stage: config['drawbridge:stage'] };
}

describe('review: each deploy\'s emergency override gives exactly the state its commit says, stage included, whatever was set before', () => {
  // The default estate has colours, a cutover and a hard-down: every key matters.
  const shop = estateNamed('shop');
  const cases = statePairs(supportedModeStates(shop));
  const target = { estateFile: 'estates/shop.yaml', isDefaultEstate: false, stack: 'production' };

  /** Moves in which the engine deploys, so the plan carries its overrides. */
  const deploying = (provider: 'aws' | 'cloudflare') => cases.filter(([f, t]) => deploys(plan(shop, word(shop, f), word(shop, t)).steps).some((s) => s.provider === provider));
  const pulumiCases = deploying('cloudflare');
  const cdkCases = deploying('aws');

  test('GIVEN the default estate THEN most of its moves deploy each engine, several of them in stages, so the override cases below are many', () => {
    expect(pulumiCases.length).toBeGreaterThanOrEqual(cases.length / 2);
    expect(cdkCases.length).toBeGreaterThanOrEqual(cases.length / 2);
    expect(cases.filter(([f, t]) => new Set(deploys(plan(shop, word(shop, f), word(shop, t)).steps).map((s) => s.stage)).size > 2).length).toBeGreaterThan(5);
  });

  test.each(pulumiCases)('GIVEN a stack overridden to %s WHEN running the Pulumi overrides of the move to %s in turn THEN after each the program reads exactly its commit\'s state', (fromWord, toWord) => {
    const from = word(shop, fromWord);
    const committed: Estate = { ...shop, state: from };
    const p = plan(committed, from, word(shop, toWord), { pulumiStack: 'production' });
    // Before: the stack holds an override that put it in FROM (a stale target or hardDown included).
    let config = applyPulumiOverride({}, ENGINES.cloudflare.overrideCommand(target, from));
    expect(formatModeWord(effectiveModeState(committed, overridesOf(config), 'drawbridge:', new Date(0)).state)).toBe(fromWord);
    const steps = p.steps.filter((s) => s.provider === 'cloudflare' && s.override);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      config = applyPulumiOverride(config, s.override!);
      const commit = committedBefore(p.steps, p.steps.indexOf(s))!;
      const { state } = effectiveModeState(committed, overridesOf(config), 'drawbridge:', new Date(0));
      expect(formatModeWord(state)).toBe(commit);
      expect(state).toEqual(word(shop, commit));
      expect(config['drawbridge:stage']).toBe(word(shop, commit).stage);
    }
  });

  test.each(cdkCases)('GIVEN an estate committed at %s WHEN running each CDK override of the move to %s THEN the app reads exactly that deploy\'s commit state', (fromWord, toWord) => {
    const committed: Estate = { ...shop, state: word(shop, fromWord) };
    const p = plan(committed, committed.state, word(shop, toWord));
    const steps = p.steps.filter((s) => s.provider === 'aws' && s.override);
    expect(steps.length).toBeGreaterThan(0);
    for (const s of steps) {
      const context = Object.fromEntries([...s.override!.matchAll(/--context (\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
      const { state } = effectiveModeState(committed, { mode: context.mode, live: context.live, target: context.target, hardDown: context.hardDown, stage: context.stage }, '--context', new Date(0));
      const commit = committedBefore(p.steps, p.steps.indexOf(s))!;
      expect(formatModeWord(state)).toBe(commit);
      expect(state).toEqual(word(shop, commit));
    }
  });

  test('GIVEN a hard-down entered by override WHEN reading the rollback override THEN it sets hardDown false and removes target and stage', () => {
    const p = plan(shop, word(shop, 'normal'), word(shop, 'maintenance:hard-down'), { pulumiStack: 'production' });
    const back = p.rollback!.steps.find((s) => s.id === 'deploy-cloudflare')!;
    expect(back.override).toBe(
      'pulumi config set-all --plaintext drawbridge:mode=normal --plaintext drawbridge:live=blue --plaintext drawbridge:hardDown=false --stack production' +
        ' && pulumi config rm-all drawbridge:target drawbridge:stage --stack production && pulumi up --stack production --config drawbridge:estate=estates/shop.yaml',
    );
    expect(back.overrideCleanup).toBe('pulumi config rm-all drawbridge:mode drawbridge:live drawbridge:target drawbridge:hardDown drawbridge:stage --stack production');
  });

  test('GIVEN a move in stages WHEN reading its overrides THEN a stage\'s override sets the stage, and the next complete state removes it', () => {
    const p = plan(shop, word(shop, 'normal'), word(shop, 'cutover'), { pulumiStack: 'production' });
    const [first, ...rest] = p.steps.filter((s) => s.provider === 'cloudflare' && s.override);
    const last = rest[rest.length - 1]!;
    expect(first!.override).toContain('--plaintext drawbridge:stage=freeze');
    expect(last.override).toContain('pulumi config rm-all drawbridge:stage --stack production');
    expect(p.steps.find((s) => s.provider === 'aws' && s.stage === 'cutover:prepare@blue->green')!.override).toContain('--context stage=prepare');
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
    const snapshot = p.steps.find((s) => s.kind === 'snapshot')!;
    expect(snapshot.command).toBe('aws rds create-db-snapshot --db-instance-identifier production-blue --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(snapshot.checks[0]!.command).toBe('aws rds wait db-snapshot-available --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
    expect(snapshot.detail).toContain('aws rds delete-db-snapshot --db-snapshot-identifier production-blue-before-green --region ap-southeast-2');
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
