/**
 * A worker thread's entry point (stacks/aws/diff-thread.ts starts it, bundled as
 * dist/bin/aws-worker.js by bin/compiled.js): runs the AWS half of a diff (stacks/aws/diff-work.ts)
 * on the work it is given and posts the result back, or the failure with what is needed to raise it
 * again in the main thread (a DrawbridgeError stays one).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isDrawbridgeError } from '../modes/errors';
import { runAwsWork, type AwsWork, type AwsWorkResult } from '../stacks/aws/diff-work';

export type WorkerReply =
  | { readonly ok: true; readonly result: AwsWorkResult }
  | { readonly ok: false; readonly drawbridge?: { readonly problems: readonly string[]; readonly exitCode: number }; readonly message: string; readonly stack?: string };

/** Runs the work; a failure is a reply, never an exception (the thread's error event would lose its kind). */
export async function workerReply(work: AwsWork): Promise<WorkerReply> {
  try {
    return { ok: true, result: await runAwsWork(work) };
  } catch (e) {
    if (isDrawbridgeError(e)) return { ok: false, drawbridge: { problems: e.problems, exitCode: e.exitCode }, message: e.message };
    return { ok: false, message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) };
  }
}

if (parentPort && workerData) {
  const port = parentPort;
  void workerReply((workerData as { work: AwsWork }).work).then((reply) => port.postMessage(reply));
}
