/**
 * Synthesis overhead: the CDK app synthesizing one mode of the default estate (bin/cdk.ts, as
 * `cdk synth` runs it, cdk-nag included) against a bare CDK app that synthesizes one empty stack:
 * the floor of loading aws-cdk-lib and writing an assembly. Both are fresh `node` processes with
 * tsx registered and the same environment; wall-clock seconds, median of BENCH_RUNS (default 3),
 * runs interleaved. Goal: at most 1.3x the bare app.
 *
 *   npx tsx bench/synth.ts
 */
import { median, ROOT, timedRun } from './util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function timed(script: string, env: Record<string, string>): number {
  return timedRun(process.execPath, ['--require', require.resolve('tsx/cjs', { paths: [ROOT] }), script], { ...process.env, CDK_DISABLE_CLI_TELEMETRY: '1', ...env });
}

export async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const dir = mkdtempSync(join(tmpdir(), 'drawbridge-bench-synth-'));
  try {
    const bare = join(dir, 'bare.ts');
    writeFileSync(
      bare,
      [
        `import { App, Stack } from ${JSON.stringify(require.resolve('aws-cdk-lib', { paths: [ROOT] }))};`,
        'const app = new App();',
        "new Stack(app, 'Empty');",
        'app.synth();',
        '',
      ].join('\n'),
    );
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < runs; i++) {
      // What `cdk synth` passes to the app: the output directory and cdk.json's context.
      ours.push(timed(join(ROOT, 'bin', 'cdk.ts'), { CDK_OUTDIR: join(dir, `estate-${i}`), CDK_CONTEXT_JSON: JSON.stringify({ estate: 'estates/default.yaml' }) }));
      floor.push(timed(bare, { CDK_OUTDIR: join(dir, `bare-${i}`), CDK_CONTEXT_JSON: '{}' }));
    }
    const d = median(ours);
    const b = median(floor);
    const out = (name: string, value: string) => process.stdout.write(`${name}: ${value}\n`);
    out('synth_runs', String(runs));
    out('synth_default_estate_seconds', d.toFixed(2));
    out('synth_bare_empty_stack_seconds', b.toFixed(2));
    out('synth_overhead', `${(d / b).toFixed(2)}x (goal <= 1.3x)`);
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
