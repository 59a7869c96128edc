/**
 * In-process synthesis of the AWS side for one mode state: no CDK CLI, no network, no AWS account.
 * Used by the CLI's diff, the benchmarks and the tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Estate, ModeState } from '../../modes/schema';
import { resolve } from '../../modes/resolve';
import { mapWriteFailure } from '../../modes/write-error';
import { buildAwsApp, synthApp } from './app';

export interface SynthesizedStack {
  readonly stackName: string;
  // CloudFormation templates are untyped JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly template: Record<string, any>;
}

export interface AwsSynthesis {
  readonly stacks: readonly SynthesizedStack[];
}

export interface SynthOptions {
  /**
   * aws-cdk-lib's built-in CloudFormation template validation. It only reports (its errors become
   * warnings) and takes seconds to start; cdk-nag runs either way. CDK_VALIDATION=false still
   * turns it off.
   * @default true
   */
  readonly builtinValidation?: boolean;
}

/** Synthesizes every AWS stack of `estate` in `state` and returns the templates. */
export function synthAws(estate: Estate, state: ModeState, options: SynthOptions = {}): AwsSynthesis {
  const desired = resolve(estate, state);
  // A full temporary directory is the machine's problem: one line naming it, not a stack.
  const outdir = mapWriteFailure(tmpdir(), () => mkdtempSync(join(tmpdir(), 'drawbridge-synth-')));
  try {
    const app = buildAwsApp(
      desired,
      new App({ outdir, context: { 'aws:cdk:enable-path-metadata': false }, builtinCloudFormationValidation: options.builtinValidation ?? true }),
    );
    const assembly = synthApp(app);
    return { stacks: assembly.stacks.map((s) => ({ stackName: s.stackName, template: s.template })) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
