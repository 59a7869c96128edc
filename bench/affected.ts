/**
 * A repository of many estates: 50 estate files (the default shop renamed 50 times) committed in a
 * temporary git repository, then one of them edited (its maintenance window moved). `drawbridge
 * affected` must name that one alone, and `drawbridge diff --affected` diff only it (in parallel,
 * one process per core, when several are affected). Wall-clock seconds of each, as a fresh process.
 *
 *   npx tsx bench/affected.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, timedRun } from './util';

const ESTATES = Number(process.env.BENCH_ESTATES ?? 50);
const DRAWBRIDGE = join(ROOT, 'bin', 'drawbridge.js');

export async function main(): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'drawbridge-bench-repo-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const shop = readFileSync(join(ROOT, 'estates', 'default.yaml'), 'utf8').replace('# yaml-language-server: $schema=../schema/estate.schema.json\n', '');
    mkdirSync(join(repo, 'estates'));
    for (let i = 1; i <= ESTATES; i++) writeFileSync(join(repo, 'estates', `shop${String(i).padStart(2, '0')}.yaml`), shop.replace(/^name: shop$/m, `name: shop${i}`));
    writeFileSync(join(repo, 'cdk.json'), JSON.stringify({ app: `node ${join(ROOT, 'bin', 'cdk-app.js')}`, context: { estate: 'estates/shop01.yaml' } }));
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'add', '.');
    git('-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'fleet of estates');
    // The change of a pull request: one estate's window moves by a day.
    const edited = join(repo, 'estates', 'shop07.yaml');
    const before = readFileSync(edited, 'utf8');
    const after = before.replace(/(start: ")?(\d{4}-\d{2}-)(\d{2})/, (_m, q: string | undefined, ym: string, d: string) => `${q ?? ''}${ym}${String(Math.min(Number(d) + 1, 28)).padStart(2, '0')}`);
    if (after === before) throw new Error('could not edit the window of estates/shop07.yaml');
    writeFileSync(edited, after);

    const env = { ...process.env, NO_COLOR: '1', CDK_DISABLE_CLI_TELEMETRY: '1', DRAWBRIDGE_CACHE_DIR: join(repo, '.cache') };
    const listed = JSON.parse(execFileSync(process.execPath, [DRAWBRIDGE, 'affected', '--base', 'main', '--json'], { cwd: repo, env, encoding: 'utf8' })) as { estates: { file: string }[] };
    const listSeconds = timedRunIn(repo, [DRAWBRIDGE, 'affected', '--base', 'main', '--json'], env);
    const diffSeconds = timedRunIn(repo, [DRAWBRIDGE, 'diff', '--affected', '--base', 'main', '--quiet'], env);
    const out = (name: string, value: string) => process.stdout.write(`${name}: ${value}\n`);
    out('repo_estates', String(ESTATES));
    out('repo_affected_by_one_estate_edit', `${listed.estates.length} of ${ESTATES}: ${listed.estates.map((e) => e.file).join(', ')} (goal: only the edited estate)`);
    out('repo_affected_list_seconds', listSeconds.toFixed(2));
    out('repo_diff_affected_seconds', `${diffSeconds.toFixed(2)} (only the affected estates, one process per core)`);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

/** timedRun of the CLI in the temporary repository. */
const timedRunIn = (cwd: string, args: string[], env: NodeJS.ProcessEnv): number => timedRun(process.execPath, args, env, cwd);

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/affected: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
