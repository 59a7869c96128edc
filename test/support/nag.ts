/**
 * cdk-nag as the tests read it: the acknowledgements a construct tree carries (what
 * `Validations.of(x).acknowledge` recorded), and every finding of the AWS Solutions pack with the
 * acknowledgements ignored, to show that each acknowledgement suppresses a real finding.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface Acknowledgement {
  /** Construct path of the node that carries it (it covers the node and everything under it). */
  readonly path: string;
  /** The rule id as cdk-nag matches it, e.g. `AwsSolutions-AS3`, or an annotation's, e.g. `Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId`. */
  readonly id: string;
  readonly reason: string;
}

/** The acknowledgements recorded on `scope` and every construct under it. */
export function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      // aws-cdk-lib records an id without a known namespace as `Annotation::<id>`; cdk-nag reads it back without it.
      .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^(?:annotation|AwsSolutions)::(?=AwsSolutions-)/i, ''), reason })),
  );
}

/** A finding of the AWS Solutions pack: the rule and the construct path of the resource. */
export interface Finding {
  readonly rule: string;
  readonly path: string;
}

/**
 * Every AWS Solutions finding under `scope` as if nothing were acknowledged. The pack's own
 * acknowledgement lookup (a private method of cdk-nag 3's NagPack) is replaced on this one instance
 * only; the app's wiring is untouched.
 */
export function findingsIgnoringAcknowledgements(scope: IConstruct): Finding[] {
  const pack = new AwsSolutionsChecks();
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  const report = pack.validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
}
