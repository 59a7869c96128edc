/**
 * The AWS side of an estate as a CDK app: one stack per estate (`<name>-aws`), rendering the desired
 * state of one mode. cdk-nag's AWS Solutions checks run on every synthesis; a finding throws.
 */
import { App, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import type { DesiredAws, DesiredState } from '../../modes/resolve';
import { BlueGreen } from './bluegreen';
import { Operations } from './operations';
import { Traffic } from './traffic';

export interface EstateStackProps extends StackProps {
  /** The AWS part of the desired state to render. */
  readonly desired: DesiredAws;
  /** Short description of the mode state, recorded in the stack description. */
  readonly estateName: string;
}

/** Everything Drawbridge manages on AWS for one estate. */
export class EstateStack extends Stack {
  constructor(scope: Construct, id: string, props: EstateStackProps) {
    super(scope, id, props);
    const { desired } = props;
    let vpc: ec2.IVpc | undefined;
    if (desired.vpc) {
      vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: desired.vpc.id,
        availabilityZones: [...desired.vpc.availabilityZones],
        privateSubnetIds: [...desired.vpc.privateSubnetIds],
      });
      Validations.of(vpc).acknowledge({
        id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason: 'The VPC is imported by id from the estate; nothing here reads its route tables.',
      });
    }
    const traffic = new Traffic(this, 'Traffic', { desired, ...(vpc ? { vpc } : {}) });
    new Operations(this, 'Operations', { desired, targetGroups: traffic.targetGroups });
    if (desired.beanstalk || desired.databases.length > 0) {
      if (!vpc) throw new Error('blue/green parts need aws.vpc (the schema requires it)');
      new BlueGreen(this, 'BlueGreen', { desired, vpc });
    }
  }
}

/** Stack names of an estate; stable across modes. */
export function stackName(estateName: string): string {
  return `${estateName}-aws`;
}

/**
 * Adds the estate's stacks to `app` (or a new App) for the given desired state and registers
 * cdk-nag. Returns the app; call `app.synth()` to render.
 */
export function buildAwsApp(desired: DesiredState, app: App = new App()): App {
  if (!desired.aws) return app;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  new EstateStack(app, stackName(desired.estate), {
    stackName: stackName(desired.estate),
    env: { account: desired.aws.account, region: desired.aws.region },
    description: `Drawbridge: AWS side of the ${desired.estate} estate (mode is set by the estate file's state)`,
    terminationProtection: desired.aws.databases.length > 0 || !!desired.aws.beanstalk,
    desired: desired.aws,
    estateName: desired.estate,
  });
  return app;
}
