/**
 * cdk-nag's AWS Solutions checks, remembered: a synthesis whose templates were all found clean
 * before, by the same cdk-nag and aws-cdk-lib on the same Node, with the same acknowledgements in
 * the tree, is clean again without walking the construct tree (about half a second of every `cdk
 * synth`, plus loading cdk-nag, which requires nearly every aws-cdk-lib module). A report with any
 * finding is never remembered, so a finding stops every synthesis that has it.
 *
 * Why that key is enough: the pack's verdict is a function of each CfnResource's type and resolved
 * properties (what its template holds) and of the acknowledgements on it and its scopes (construct
 * metadata, which the templates do not hold, so the key lists them).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Validations, type IPolicyValidationContext, type IPolicyValidationPlugin, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The pack's name, as aws-cdk-lib's validation report shows it (cdk-nag's AwsSolutionsChecks.name). */
const PACK = 'AwsSolutions';

/** A package's version from its package.json, or `?` (the key then still differs from a real one). */
function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/** Every acknowledgement in the tree, as `path rule` lines in tree order. */
function acknowledgements(root: IConstruct): string[] {
  const out: string[] = [];
  const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) if (entry.type === key && entry.data) for (const id of Object.keys(entry.data as object)) out.push(`${c.node.path} ${id}`);
    for (const child of c.node.children) visit(child);
  };
  visit(root);
  return out;
}

/** Verdicts kept: past this many, the older half goes (each is an empty file). */
export const KEEP = 1000;

function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n));
  if (names.length <= KEEP) return;
  const aged = names.map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - KEEP / 2)) rmSync(path.join(dir, n), { force: true });
}

/**
 * The validation plugin: AwsSolutionsChecks from cdk-nag, loaded and run only when this set of
 * templates has not been found clean before. Results live in `dir` as empty files named by key.
 */
export class RememberedNagChecks implements IPolicyValidationPlugin {
  readonly name = PACK;

  constructor(
    private readonly app: IConstruct,
    private readonly dir: string,
    /** The pack that runs on a miss (tests count its runs). */
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    private readonly pack: () => IPolicyValidationPlugin = () => new (require('cdk-nag') as typeof import('cdk-nag')).AwsSolutionsChecks(app),
  ) {}

  /** The sha256 naming one verdict: versions, acknowledgements and every template's bytes. */
  key(context: IPolicyValidationContext): string {
    const h = createHash('sha256');
    h.update(`drawbridge nag 1\0${process.version}\0cdk-nag ${versionOf('cdk-nag')}\0aws-cdk-lib ${versionOf('aws-cdk-lib')}\0`);
    for (const line of acknowledgements(this.app)) h.update(`ack ${line}\0`);
    for (const file of [...context.templatePaths].sort()) h.update(`${path.basename(file)}\0`).update(readFileSync(file)).update('\0');
    return h.digest('hex');
  }

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const file = path.join(this.dir, this.key(context));
    try {
      statSync(file);
      return { success: true, violations: [] };
    } catch {
      // Not found clean before: run the pack.
    }
    const report = this.pack().validate(context);
    if (report.success && report.violations.length === 0) {
      try {
        mkdirSync(this.dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, '');
        renameSync(tmp, file);
        prune(this.dir);
      } catch {
        // Not remembering only costs the next synthesis the checks.
      }
    }
    return report;
  }
}
