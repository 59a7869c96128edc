/**
 * cfn-lint (AWS's CloudFormation linter) over every template Drawbridge writes for an estate: each
 * mode state it supports and each stage of the moves between them, as the stack tests render them.
 *
 *   npm run lint:cfn [-- --estate estates/beanstalk.yaml ...]   (default: every estates/*.yaml)
 *
 * Prints each finding (rule, template, resource path, message) and exits 1 when there is any. The
 * test suite runs the same over every example estate (test/stacks/aws/cfn-lint.test.ts). Rules are
 * never ignored here: a finding is fixed in the estate or in the renderer.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DrawbridgeError, runMain, show } from '../modes/errors';
import { loadEstate } from '../modes/load';
import type { Estate, ModeState } from '../modes/schema';
import { stagedStates } from '../modes/staged-states';
import { formatModeWord } from '../modes/words';
import { synthAws } from '../stacks/aws/synth';
import { CFN_LINT_TOOL, findTool, missingLine, toolIfFound } from './tools';

/** One finding of cfn-lint, with the template it is in named as estate, mode state and stack. */
export interface LintFinding {
  readonly rule: string;
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly template: string;
  readonly path: string;
  readonly message: string;
}

/** A template to lint and the name its findings carry. */
export interface NamedTemplate {
  readonly name: string;
  // CloudFormation templates are untyped JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly template: Record<string, any>;
}

/** One line saying what to do when cfn-lint is missing (scripts/tools.ts says it for every tool). */
export const CFN_LINT_MISSING = missingLine(CFN_LINT_TOOL);

/**
 * cfn-lint's executable: CFN_LINT_PATH, else PATH. Only looks (the preflight of `npm test` is
 * where a tool is installed); a DrawbridgeError with one line when it is nowhere or the variable
 * names no executable.
 */
export function cfnLintPath(): string {
  return findTool(CFN_LINT_TOOL, undefined, { install: false });
}

/** cfn-lint's version line, or undefined when it is not found or cannot be run. */
export function cfnLintVersion(): string | undefined {
  const path = toolIfFound(CFN_LINT_TOOL);
  if (!path) return undefined;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Every distinct AWS template of `estate` in `states` (the same template in two states is linted
 * once, under the first state's name).
 */
export function templatesOf(estate: Estate, states: readonly ModeState[]): NamedTemplate[] {
  const seen = new Set<string>();
  const out: NamedTemplate[] = [];
  for (const state of states) {
    for (const stack of synthAws(estate, state, { builtinValidation: false }).stacks) {
      const body = JSON.stringify(stack.template);
      if (seen.has(body)) continue;
      seen.add(body);
      out.push({ name: `${estate.name} ${formatModeWord(state)} ${stack.stackName}`, template: stack.template });
    }
  }
  return out;
}

interface RawFinding {
  readonly Rule: { readonly Id: string };
  readonly Level: LintFinding['level'];
  readonly Filename: string;
  readonly Message: string;
  readonly Location?: { readonly Path?: readonly (string | number)[] };
}

/** Runs cfn-lint once over `templates` (written to a temporary directory, removed after) and returns its findings. */
export function lintTemplates(templates: readonly NamedTemplate[]): LintFinding[] {
  if (templates.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-cfn-lint-'));
  try {
    const byFile = new Map<string, string>();
    templates.forEach((t, i) => {
      const file = join(dir, `t${i}.json`);
      writeFileSync(file, JSON.stringify(t.template, null, 1));
      byFile.set(basename(file), t.name);
    });
    const files = readdirSync(dir).map((f) => join(dir, f));
    let out: string;
    try {
      out = execFileSync(cfnLintPath(), ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    } catch (e) {
      const err = e as { code?: string; status?: number; stdout?: string; stderr?: string };
      if (err.code === 'ENOENT') throw new DrawbridgeError(CFN_LINT_MISSING);
      // cfn-lint exits non-zero when it finds something (2 errors, 4 warnings, 8 informational; or'ed)
      if (err.status === undefined || err.status === null || err.status >= 32 || !err.stdout) throw new Error(`cfn-lint failed (exit ${err.status}): ${err.stderr ?? ''}`);
      out = err.stdout;
    }
    const raw = JSON.parse(out) as RawFinding[];
    return raw.map((f) => ({
      rule: f.Rule.Id,
      level: f.Level,
      template: byFile.get(basename(f.Filename)) ?? f.Filename,
      path: (f.Location?.Path ?? []).join('/'),
      message: f.Message,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per finding. */
export function formatFinding(f: LintFinding): string {
  return `${f.rule} ${f.template}: ${f.path}: ${f.message}`;
}

async function main(argv: readonly string[]): Promise<void> {
  const root = join(__dirname, '..');
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--estate' && argv[i + 1]) files.push(argv[++i]!);
    else throw new DrawbridgeError(`unknown argument ${show(argv[i])}; usage: npm run lint:cfn [-- --estate FILE ...]`);
  }
  if (files.length === 0) files.push(...readdirSync(join(root, 'estates')).filter((f) => f.endsWith('.yaml')).map((f) => join(root, 'estates', f)));
  const lint = cfnLintPath(); // a one-line stop naming CFN_LINT_PATH and the package when it is nowhere
  if (!cfnLintVersion()) throw new DrawbridgeError(`${lint} --version failed: reinstall it (\`${CFN_LINT_TOOL.install}\`) or set CFN_LINT_PATH to a working cfn-lint`);
  const templates = files.flatMap((file) => {
    const estate = loadEstate(file);
    return templatesOf(estate, stagedStates(estate));
  });
  const findings = lintTemplates(templates);
  for (const f of findings) console.log(formatFinding(f));
  console.log(`cfn-lint: ${templates.length} templates, ${findings.length} findings`);
  if (findings.length > 0) process.exitCode = 1;
}

if (require.main === module) void runMain(() => main(process.argv.slice(2)));
