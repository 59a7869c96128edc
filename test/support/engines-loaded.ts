/**
 * Which engine packages (aws-cdk-lib, @aws-cdk/*, @pulumi/*) a fresh Node process has loaded after
 * running some code through tsx, as the CLI runs: the probe behind "check and plan never load an
 * engine". Jest's own module registry cannot tell, so this uses a child process.
 */
import { spawnSync } from 'node:child_process';
import { ROOT } from './estates';

const ENGINE = /^(aws-cdk-lib|@aws-cdk\/|@pulumi\/)/;

/** The engine packages loaded once `code` (the body of an async function, run in the repository root) has finished. */
export function enginesLoadedAfter(code: string): string[] {
  const script = `(async () => { ${code} })().then(() => process.stdout.write('\\n' + JSON.stringify(Object.keys(require.cache))));`;
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
  const files = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n') + 1)) as string[];
  const packages = files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p): p is string => !!p && ENGINE.test(p));
  return [...new Set(packages)].sort();
}
