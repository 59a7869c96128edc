/**
 * The deploy loop on moto (an AWS API emulator): the real `cdk bootstrap` and `cdk deploy` of an
 * estate's stacks, from normal into maintenance and back (and through a cutover's stages where the
 * estate has one), each state read back through the AWS SDK.
 *
 *   npm run loop:moto [-- --estate estates/ticketing.yaml] [--states normal,maintenance,normal] [--keep]
 *
 * It starts `moto_server` on a free loopback port, creates the parts the estate imports (VPC,
 * subnets, security groups, load balancer, certificate, launch templates, Lambda targets, hosted
 * zone) with the SDK, writes the estate file with their ids, then for each state: `npx cdk deploy
 * --all` with that state's context, every property the mode manages read back and compared with
 * the desired state, every physical id compared with the first deploy's. Before the first move it
 * checks that `npx cdk diff` against the deployed stacks names the same resources and properties
 * as `drawbridge diff`. What moto cannot deploy is named (with the moto function that refuses it)
 * and left out of the deployed template; cfn-lint and the template tests cover it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { declareCdkApp } from '../bin/cdk';
import { DrawbridgeError, runMain, show } from '../modes/errors';
import { loadEstate } from '../modes/load';
import { resolve } from '../modes/resolve';
import type { Estate, ModeState } from '../modes/schema';
import { supportedModeStates } from '../modes/state';
import { synthApp } from '../stacks/aws/app';
import { stagedStates } from '../modes/staged-states';
import { formatModeWord, parseModeWord } from '../modes/words';
import { deployedStacks, deployedTemplateView, expectedView, MOTO_UPDATE_GAPS, motoGaps, observedView, physicalIds, VIEW_KIND_OF_TYPE, type MotoGap, type View } from './moto/observe';
import { createExistingParts, rewriteEstate } from './moto/parts';
import { startMoto, type Moto } from './moto/server';

const ROOT = join(__dirname, '..');
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');
const run = promisify(execFile);

/** One deployed state and what was read back. */
export interface LoopStep {
  readonly word: string;
  readonly expected: View;
  readonly observed: View;
  /** Resources whose physical id differs from the first deploy's: `logical type: before -> after`. */
  readonly physicalChanges: readonly string[];
  /** Differences (properties, physical ids) that one of moto's update gaps explains, each with the gap. */
  readonly explained: readonly string[];
  /** Differences nothing explains: a failure. */
  readonly unexplained: readonly string[];
  readonly seconds: number;
}

export interface LoopReport {
  readonly estate: string;
  readonly stacks: readonly string[];
  readonly gaps: readonly MotoGap[];
  readonly steps: readonly LoopStep[];
  /** `cdk diff` and `drawbridge diff` for the first move: `logical-id property` lines each names. */
  readonly diff?: { readonly move: string; readonly cdk: readonly string[]; readonly drawbridge: readonly string[]; readonly safe: boolean };
  /** Physical ids after the first deploy (logical id and type -> id). */
  readonly physicalIds: Readonly<Record<string, string>>;
}

export interface LoopOptions {
  /** The estate file (an example estate; its ids are replaced by the emulator's). */
  readonly estateFile: string;
  /** Mode words to deploy in order, the first being where it starts (default: normal, maintenance, normal). */
  readonly words?: readonly string[];
  /** Compare `cdk diff` with `drawbridge diff` before the first move. Default true. */
  readonly diff?: boolean;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** An emulator already running (else one is started and stopped). */
  readonly moto?: Moto;
}

/** The CDK context that selects `state` (every key, so the committed state never leaks in). */
export function contextOf(state: ModeState): string[] {
  const ctx: Record<string, string> = { mode: state.mode, live: state.live, hardDown: String(state.hardDown) };
  if (state.target) ctx.target = state.target;
  if (state.stage) ctx.stage = state.stage;
  return Object.entries(ctx).flatMap(([k, v]) => ['--context', `${k}=${v}`]);
}

/** A template without what moto cannot deploy: the resources of `types` and every reference to them. */
// CloudFormation templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withoutUnsupported(template: any, drop: (type: string) => boolean): { template: any; dropped: string[] } {
  const dropped = Object.entries(template.Resources ?? {})
    .filter(([, r]) => drop((r as { Type: string }).Type))
    .map(([id]) => id);
  const out = JSON.parse(JSON.stringify(template));
  for (const id of dropped) delete out.Resources[id];
  for (const r of Object.values(out.Resources) as { DependsOn?: string | string[] }[]) {
    if (r.DependsOn === undefined) continue;
    const list = (Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn]).filter((d) => !dropped.includes(d));
    if (list.length === 0) delete r.DependsOn;
    else r.DependsOn = list;
  }
  const text = JSON.stringify(out);
  for (const id of dropped) {
    if (text.includes(`{"Ref":"${id}"}`) || text.includes(`"Fn::GetAtt":["${id}"`)) throw new Error(`cannot leave ${id} out for moto: another resource refers to it`);
  }
  return { template: out, dropped };
}

/** `logical-id property` for each changed property of `cdk diff`'s text output. */
export function cdkDiffLines(text: string): string[] {
  const out: string[] = [];
  let resource: string | undefined;
  // eslint-disable-next-line no-control-regex
  for (const line of text.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    // [~] AWS::SSM::Parameter Operations/FlagMaintenance OperationsFlagMaintenance0388BDB7 [replace|destroy|orphan]
    const head = /^\[([~+-])\] (?:AWS|Custom)::\S+ (.+)$/.exec(line.trimEnd());
    if (head) {
      const tokens = head[2]!.split(' ');
      resource = tokens[0]!.includes('/') && tokens[1] ? tokens[1] : tokens[0]!;
      if (head[1] !== '~') out.push(`${resource} ${head[1] === '+' ? '(added)' : '(removed)'}`);
      continue;
    }
    const prop = /^ [└├]─ \[[~+-]\] (\.?[A-Za-z0-9]+)/.exec(line);
    if (prop && resource) out.push(`${resource} ${prop[1]!.replace(/^\./, '')}`);
    else if (!line.startsWith(' ')) resource = undefined;
  }
  return [...new Set(out)].sort();
}

interface DrawbridgeDiff {
  /** Everything changes in place: no replacement, no removal. */
  readonly safe: boolean;
  readonly engines: {
    readonly aws?: { readonly resources: readonly { readonly id: string; readonly action: string; readonly properties?: readonly { readonly path: string }[] }[] };
  };
}

/** The same lines from `drawbridge diff --json`. */
export function drawbridgeDiffLines(json: DrawbridgeDiff, dropped: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of json.engines.aws?.resources ?? []) {
    if (dropped.includes(r.id)) continue;
    if (r.action === 'add') out.push(`${r.id} (added)`);
    else if (r.action === 'remove') out.push(`${r.id} (removed)`);
    else for (const p of r.properties ?? []) out.push(`${r.id} ${p.path.split('.')[0]}`);
  }
  return [...new Set(out)].sort();
}

/** Runs the loop for one estate. */
export async function runLoop(options: LoopOptions): Promise<LoopReport> {
  const log = options.log ?? (() => undefined);
  const moto = options.moto ?? (await startMoto());
  const work = mkdtempSync(join(tmpdir(), 'drawbridge-moto-'));
  try {
    const example = loadEstate(options.estateFile);
    if (!example.aws) throw new DrawbridgeError(`${options.estateFile}: the estate has no aws part, nothing to deploy`);
    const region = example.aws.region;
    const at = { endpoint: moto.endpoint, region };
    log(`moto ${moto.endpoint}: creating the parts ${example.name} imports`);
    const text = readFileSync(options.estateFile, 'utf8');
    const ids = await createExistingParts(example, at, text);
    const estateFile = join(work, 'estate.yaml');
    writeFileSync(estateFile, rewriteEstate(text, ids));
    const estate = loadEstate(estateFile);
    const account = estate.aws!.account;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_CLI_TELEMETRY: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    delete env.AWS_PROFILE;
    const cdk = async (args: string[]) => {
      try {
        // each run synthesizes into its own directory: loops run side by side (the CLI locks cdk.out)
        const output = args.includes('--app') || args.includes('--output') ? [] : ['--output', join(work, 'cdk.out')];
        return await run(CDK, [...args, ...output, '--no-notices', '--context', `estate=${estateFile}`], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; message: string };
        throw new Error(`cdk ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}\n--- moto log (tail) ---\n${moto.log().slice(-4000)}`);
      }
    };
    log(`cdk bootstrap aws://${account}/${region}`);
    // from a directory without cdk.json: bootstrapping an environment needs no synthesis of the app
    await run(CDK, ['bootstrap', `aws://${account}/${region}`, '--no-notices'], { cwd: work, env, timeout: 600_000 }).catch((e: { message: string; stderr?: string }) => {
      throw new Error(`cdk bootstrap failed: ${e.message}\n${e.stderr ?? ''}`);
    });

    const planned = options.words ? { words: options.words, gaps: [] } : loopWords(estate);
    const states = planned.words.map((w) => parseModeWord(w, estate));
    const leftOut = motoGaps(resolve(estate, states[0]!).aws!);
    const gaps = [...leftOut, ...planned.gaps];
    const dropTypes = new Set(leftOut.flatMap((g) => g.types ?? []));
    const drop = (type: string) => dropTypes.has(type);
    /** moto takes the app as synthesized: deploy with the commands a user types. */
    const whole = dropTypes.size === 0;
    let dropped: string[] = [];
    let stacks: string[] = [];

    /**
     * A cloud assembly for `state`, synthesized in this process by the app bin/cdk.ts declares (the
     * same context the CLI would pass), without what moto cannot deploy. Saves a CLI synthesis per state.
     */
    let assemblies = 0;
    const assembly = (state: ModeState): string => {
      const outdir = join(work, `cdk.out-${++assemblies}`);
      // the context the CDK CLI hands an app it runs, so the templates are the ones `cdk deploy` makes
      const context: Record<string, unknown> = {
        'aws:cdk:enable-path-metadata': true,
        'aws:cdk:enable-asset-metadata': true,
        'aws:cdk:version-reporting': true,
        'aws:cdk:bundling-stacks': ['**'],
        '@aws-cdk/core:failSynthOnValidationErrors': false,
        estate: estateFile,
      };
      for (let i = 0; i < contextOf(state).length; i += 2) {
        const [k, v] = contextOf(state)[i + 1]!.split('=') as [string, string];
        context[k] = v;
      }
      const app = new App({ outdir, context });
      declareCdkApp(app, ROOT, () => undefined);
      synthApp(app);
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string; properties?: { templateFile?: string } }> };
      for (const a of Object.values(manifest.artifacts)) {
        if (a.type !== 'aws:cloudformation:stack' || !a.properties?.templateFile) continue;
        const file = join(outdir, a.properties.templateFile);
        const stripped = withoutUnsupported(JSON.parse(readFileSync(file, 'utf8')), drop);
        dropped = [...new Set([...dropped, ...stripped.dropped])];
        writeFileSync(file, JSON.stringify(stripped.template, null, 1));
      }
      return outdir;
    };
    const DEPLOY = ['deploy', '--all', '--require-approval', 'never', '--method=direct', '--no-previous-parameters', '--progress', 'events'];

    /**
     * Deploys `state`. `asTyped`: the command a user types (`cdk deploy --context mode=...`, the CLI
     * synthesizes), when moto takes the whole app; otherwise from an assembly made in this process.
     */
    const deploy = async (state: ModeState, asTyped: boolean) => {
      if (asTyped && whole) await cdk([...DEPLOY, ...contextOf(state)]);
      else await cdk([...DEPLOY, '--app', assembly(state)]);
    };

    const steps: LoopStep[] = [];
    let first: Record<string, string> | undefined;
    let diff: LoopReport['diff'];
    for (const [i, state] of states.entries()) {
      const word = formatModeWord(state);
      if (i === 1 && options.diff !== false) diff = await compareDiffs(states[0]!, state);
      const started = Date.now();
      // the first deploy and the first move are the commands a user types; the rest deploy assemblies
      const asTyped = i <= 1;
      log(`cdk deploy --all ${asTyped && whole ? contextOf(state).filter((a) => a !== '--context').join(' ') : `(assembly of ${word})`}`);
      await deploy(state, asTyped);
      const desired = resolve(estate, state).aws!;
      if (stacks.length === 0) stacks = await deployedStacks(at);
      const ids2 = await physicalIds(stacks, at);
      first ??= ids2;
      const physicalChanges = Object.keys({ ...first, ...ids2 })
        .filter((k) => first![k] !== ids2[k])
        .map((k) => `${k}: ${first![k] ?? '(none)'} -> ${ids2[k] ?? '(none)'}`);
      const expected = expectedView(desired);
      const observed = await observedView(desired, at);
      const differs = Object.keys({ ...expected, ...observed }).filter((k) => JSON.stringify(expected[k]) !== JSON.stringify(observed[k]));
      const declared = differs.length > 0 ? await deployedTemplateView(stacks, at) : {};
      const explained: string[] = [];
      const unexplained: string[] = [];
      for (const k of differs) {
        const line = `${k}: desired ${show(expected[k])}, deployed ${show(observed[k])}`;
        const gap = MOTO_UPDATE_GAPS.find((g) => g.effect === 'skipped' && k.startsWith(`${VIEW_KIND_OF_TYPE[g.type]} `));
        if (gap && JSON.stringify(declared[k]) === JSON.stringify(expected[k])) explained.push(`${line} (the deployed template has it; moto did not apply it: ${gap.refusedBy})`);
        else unexplained.push(line);
      }
      for (const c of physicalChanges) {
        const gap = MOTO_UPDATE_GAPS.find((g) => c.includes(` ${g.type}: `));
        if (gap) explained.push(`physical id changed: ${c} (${gap.refusedBy})`);
        else unexplained.push(`physical id changed: ${c}`);
      }
      const step: LoopStep = { word, expected, observed, physicalChanges, explained, unexplained, seconds: (Date.now() - started) / 1000 };
      log(`  ${word}: ${Object.keys(observed).length} properties read back, ${unexplained.length} differences, ${explained.length} explained by moto's gaps (${step.seconds.toFixed(0)} s)`);
      for (const line of unexplained) log(`    DIFFERS ${line}`);
      for (const line of explained) log(`    moto: ${line}`);
      steps.push(step);
    }

    async function compareDiffs(from: ModeState, to: ModeState): Promise<LoopReport['diff']> {
      const move = `${formatModeWord(from)} -> ${formatModeWord(to)}`;
      log(`cdk diff ${contextOf(to).filter((a) => a !== '--context').join(' ')} against the deployed stacks, and drawbridge diff ${move}`);
      let cdkText: string;
      if (whole) {
        const r = await cdk(['diff', '--no-change-set', ...contextOf(to)]);
        cdkText = r.stdout + r.stderr;
      } else {
        const out = assembly(to);
        const r = await cdk(['diff', '--app', out, '--no-change-set']);
        cdkText = r.stdout + r.stderr;
      }
      const db = await run(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'bin', 'drawbridge.ts'), 'diff', formatModeWord(from), formatModeWord(to), '--estate', estateFile, '--json', '--quiet'], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }).catch(
        (e: { stdout?: string; code?: number }) => {
          if (e.code === 3 && e.stdout) return { stdout: e.stdout };
          throw e;
        },
      );
      if (process.env.DRAWBRIDGE_LOOP_DEBUG) log(cdkText);
      const json = JSON.parse(db.stdout) as DrawbridgeDiff;
      return { move, cdk: cdkDiffLines(cdkText), drawbridge: drawbridgeDiffLines(json, dropped), safe: json.safe };
    }

    return { estate: estate.name, stacks, gaps, steps, diff, physicalIds: first ?? {} };
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (!options.moto) await moto.stop();
  }
}

/**
 * The states the loop deploys for `estate`, as mode words: normal, maintenance, normal; then, for
 * an estate with a cutover, its stages to the other colour and back, unless moto cannot take them
 * (named in `gaps`).
 */
export function loopWords(estate: Estate): { words: string[]; gaps: MotoGap[] } {
  const [normal, ...rest] = supportedModeStates(estate);
  const maintenance = rest.find((s) => s.mode === 'maintenance' && !s.hardDown);
  const words = [normal!, ...(maintenance ? [maintenance, normal!] : [])].map(formatModeWord);
  const staged = new Set(stagedStates(estate).map(formatModeWord));
  const live = normal!.live;
  const other = live === 'blue' ? 'green' : 'blue';
  const there = [`cutover:prepare@${live}->${other}`, `cutover:freeze@${live}->${other}`, `cutover:restore@${live}->${other}`, `cutover@${live}->${other}`, `normal@${other}`];
  const back = [`cutover@${other}->${live}`, `normal@${live}`];
  const cutover = [...there, ...back].filter((w) => staged.has(w));
  if (!cutover.includes(`cutover@${live}->${other}`)) return { words, gaps: [] };
  const gap = cutoverGap(estate, [words.at(-1)!, ...cutover]);
  return gap ? { words, gaps: [gap] } : { words: [...words, ...cutover], gaps: [] };
}

/**
 * Why moto cannot take these consecutive deploys, if it cannot: a target group changes and an Auto
 * Scaling group that refers to target groups changes in the same or a later deploy. moto skips the
 * target group's update and drops it from the stack (MOTO_UPDATE_GAPS), and recreates the group on
 * its update, whose reference to the target group then fails (TargetGroupNotFound).
 */
export function cutoverGap(estate: Estate, words: readonly string[]): MotoGap | undefined {
  if (!estate.aws) return undefined;
  const desired = words.map((w) => resolve(estate, parseModeWord(w, estate)).aws!);
  let targetGroupChanged = false;
  for (let i = 1; i < desired.length; i++) {
    const [a, b] = [desired[i - 1]!, desired[i]!];
    if (JSON.stringify(a.targetGroups) !== JSON.stringify(b.targetGroups)) targetGroupChanged = true;
    const groupChanged = b.autoScalingGroups.some((g) => g.targetGroups.length > 0 && JSON.stringify(g) !== JSON.stringify(a.autoScalingGroups.find((x) => x.id === g.id)));
    if (targetGroupChanged && groupChanged) {
      return {
        what: `the cutover (${words.slice(1).join(', ')}): its target groups and the Auto Scaling groups that refer to them both change`,
        refusedBy:
          'moto/cloudformation/parsing.py parse_and_update_resource skips the target group update (FakeTargetGroup has no update_from_cloudformation_json) and drops it from the stack; moto/autoscaling/models.py FakeAutoScalingGroup.update_from_cloudformation_json then recreates the group, whose target group reference fails (TargetGroupNotFound)',
      };
    }
  }
  return undefined;
}

async function main(argv: readonly string[]): Promise<void> {
  const files: string[] = [];
  let words: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--estate' && argv[i + 1]) files.push(resolvePath(argv[++i]!));
    else if (argv[i] === '--states' && argv[i + 1]) words = argv[++i]!.split(',');
    else throw new DrawbridgeError(`unknown argument ${show(argv[i])}; usage: npm run loop:moto [-- --estate FILE ...] [--states WORD,WORD,...]`);
  }
  if (files.length === 0) files.push(...['ticketing', 'host-cutover', 'default'].map((n) => join(ROOT, 'estates', `${n}.yaml`)));
  let failed = false;
  for (const file of files) {
    const report = await runLoop({ estateFile: file, words, log: (l) => console.log(l) });
    for (const g of report.gaps) console.log(`  not deployed on moto: ${g.what} (refused by ${g.refusedBy})`);
    const bad = report.steps.filter((s) => s.unexplained.length > 0);
    const diffAgrees = !report.diff || JSON.stringify(report.diff.cdk) === JSON.stringify(report.diff.drawbridge);
    if (report.diff) console.log(`  cdk diff and drawbridge diff ${diffAgrees ? 'agree' : 'DISAGREE'} on ${report.diff.move}: ${report.diff.cdk.length} changed properties`);
    console.log(`${report.estate}: ${report.steps.length} deploys, ${bad.length} with differences`);
    if (bad.length > 0 || !diffAgrees) failed = true;
  }
  if (failed) process.exitCode = 1;
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)));
