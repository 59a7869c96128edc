import { App } from 'aws-cdk-lib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredState } from '../../../../modes/desired';
import type { ModeState } from '../../../../modes/fields';
import { resolve } from '../../../../modes/resolve';
import { buildAwsApp, synthApp } from '../../../../stacks/aws/app';
import { estateNamed } from '../../../support/estates';
import { acknowledgements, findingsIgnoringAcknowledgements } from '../../../support/nag';

const normal: ModeState = { mode: 'normal', live: 'blue', hardDown: false };

/** The shop resolved in normal mode, its listener plain HTTP on port 80 (TLS ending in front of it). */
function shopOnHttp(): DesiredState {
  const desired = resolve(estateNamed('shop'), normal);
  const { certificateArn: _cert, ...listener } = desired.aws!.listener!;
  return { ...desired, aws: { ...desired.aws!, listener: { ...listener, protocol: 'HTTP', port: 80 } } };
}

describe('the listener renderer and cdk-nag', () => {
  test.each([
    ['HTTPS', () => resolve(estateNamed('shop'), normal)],
    ['plain HTTP', shopOnHttp],
  ])('GIVEN the shop with a %s listener WHEN synthesized with cdk-nag THEN it passes with no acknowledgement on the listener or its rules, and no ELB finding to acknowledge', (_what, desired) => {
    // GIVEN the app's own wiring (cdk-nag registered by buildAwsApp)
    const app = buildAwsApp(desired(), new App({ outdir: mkdtempSync(join(tmpdir(), 'nag-listener-')), builtinCloudFormationValidation: false }));
    // THEN nothing under the traffic part acknowledges a rule (the load balancer is imported: ELB2, its access logs, checks no resource here)
    expect(acknowledgements(app).filter((a) => a.path.startsWith('shop-aws/Traffic/'))).toEqual([]);
    expect(acknowledgements(app).map((a) => a.id)).not.toContain('AwsSolutions-ELB2');
    expect(findingsIgnoringAcknowledgements(app).filter((f) => f.rule.startsWith('AwsSolutions-ELB'))).toEqual([]);
    // AND synthesis, with cdk-nag, succeeds
    expect(synthApp(app).stacks.map((s) => s.stackName)).toEqual(['shop-aws']);
  });
});
