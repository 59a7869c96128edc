/**
 * Synthesis overhead: the CDK app synthesizing one mode of the default estate as `cdk synth` runs it
 * (cdk.json's `node bin/cdk-app.js`, cdk-nag and aws-cdk-lib's template validation included)
 * against a bare CDK app in plain JavaScript that synthesizes one empty stack: the floor of loading
 * aws-cdk-lib, validating and writing an assembly. Both are fresh `node` processes with the same
 * environment; wall-clock seconds, median of BENCH_RUNS (default 3), runs interleaved, after one
 * unmeasured run of each (the bundle and caches a first run after an edit builds). Goal: at most
 * 1.3x the bare app.
 *
 *   npx tsx bench/synth.ts
 */
import { median, ROOT, timedRun } from './util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function timed(script: string, env: Record<string, string>): number {
  return timedRun(process.execPath, [script], { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', ...env });
}

export async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-bench-synth-'));
  try {
    const bare = join(dir, 'bare.js');
    writeFileSync(
      bare,
      [
        `const { App, Stack } = require(${JSON.stringify(require.resolve('aws-cdk-lib', { paths: [ROOT] }))});`,
        'const app = new App();',
        "new Stack(app, 'Empty');",
        'app.synth();',
        '',
      ].join('\n'),
    );
    const ours: number[] = [];
    const floor: number[] = [];
    // What `cdk synth` passes to the app: the output directory and cdk.json's context.
    const app = (i: number | string) => timed(join(ROOT, 'bin', 'cdk-app.js'), { CDK_OUTDIR: join(dir, `estate-${i}`), CDK_CONTEXT_JSON: JSON.stringify({ estate: 'estates/default.yaml' }) });
    const empty = (i: number | string) => timed(bare, { CDK_OUTDIR: join(dir, `bare-${i}`), CDK_CONTEXT_JSON: '{}' });
    app('first');
    empty('first');
    for (let i = 0; i < runs; i++) {
      ours.push(app(i));
      floor.push(empty(i));
    }
    // And without the remembered cdk-nag verdict: what the first synthesis of new templates costs.
    const uncached: number[] = [];
    for (let i = 0; i < runs; i++) uncached.push(timed(join(ROOT, 'bin', 'cdk-app.js'), { CDK_OUTDIR: join(dir, `uncached-${i}`), CDK_CONTEXT_JSON: JSON.stringify({ estate: 'estates/default.yaml' }), DRAWBRIDGE_CACHE: 'off' }));
    const d = median(ours);
    const u = median(uncached);
    const b = median(floor);
    const out = (name: string, value: string) => process.stdout.write(`${name}: ${value}\n`);
    out('synth_runs', String(runs));
    out('synth_default_estate_seconds', d.toFixed(2));
    out('synth_bare_empty_stack_seconds', b.toFixed(2));
    out('synth_overhead', `${(d / b).toFixed(2)}x (goal <= 1.3x)`);
    out('synth_default_estate_nag_unremembered_seconds', `${u.toFixed(2)} = ${(u / b).toFixed(2)}x (new templates: cdk-nag loads and walks the tree)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench/synth: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
