/**
 * The AWS half of `drawbridge diff` in a worker thread, so it synthesizes and compares while the
 * main thread renders the Cloudflare side (CDK synthesis and loading cloudformation-diff's database
 * are synchronous CPU work: on one thread the two engines would take turns). The worker is
 * bin/aws-worker.ts bundled to dist/bin/aws-worker.js, which exists only where the CLI runs as
 * bundled JavaScript (bin/compiled.js). Under tsx or jest the TypeScript has no entry point a worker
 * could load, and the caller does the work in-process instead.
 *
 * Loads no engine in this thread: the worker loads its own.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReply } from '../../bin/aws-worker';
import { DrawbridgeError } from '../../modes/errors';
import { projectRoot } from '../diff-cache';
import type { AwsWork, AwsWorkResult } from './diff-work';

/**
 * The worker's script, when this module runs from a bundle (dist/bin/*.js) and bin/compiled.js can
 * give a fresh bundle of bin/aws-worker.ts; else undefined.
 */
export function awsWorkerFile(running = __filename): string | undefined {
  if (!running.endsWith('.js')) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(path.join(projectRoot(path.dirname(running)), 'bin', 'compiled.js')) as { bundlePath?: (name: string) => string | undefined };
    return compiled.bundlePath?.('aws-worker');
  } catch {
    return undefined;
  }
}

/** The AWS half of a diff (stacks/aws/diff-work.ts) run in a worker thread, with its own load of aws-cdk-lib and cdk-nag (and of cloudformation-diff when it compares). */
export function runAwsWorkInThread(file: string, work: AwsWork): Promise<AwsWorkResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: { work } });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      // It has nothing left to do; do not wait for its teardown.
      void worker.terminate();
    };
    worker.once('message', (reply: WorkerReply) =>
      settle(() => {
        if (reply.ok) resolve(reply.result);
        else if (reply.drawbridge) reject(new DrawbridgeError(reply.drawbridge.problems, reply.drawbridge.exitCode));
        else reject(Object.assign(new Error(reply.message), reply.stack ? { stack: reply.stack } : {}));
      }),
    );
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the AWS diff worker exited (code ${code}) before answering`))));
  });
}
