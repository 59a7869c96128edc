/**
 * cfn-lint (AWS's CloudFormation linter, the real one on this machine) over every template of every
 * example estate in every mode state it supports and every stage of the moves between them.
 */
import { estates } from '../support/estates';
import { stagedStates } from '../stacks/states';
import { cfnLintVersion, CFN_LINT_MISSING, formatFinding, lintTemplates, templatesOf } from '../../scripts/cfn-lint';

const version = cfnLintVersion();

describe('cfn-lint', () => {
  test('is installed (the suite never counts a missing linter as a pass)', () => {
    if (!version) throw new Error(CFN_LINT_MISSING);
    expect(version).toMatch(/cfn-lint 1\.\d+/);
  });

  test('GIVEN every example estate x every staged mode state WHEN linted THEN no errors and no warnings', () => {
    if (!version) throw new Error(CFN_LINT_MISSING);
    const templates = estates.flatMap(({ estate }) => templatesOf(estate, stagedStates(estate)));
    // every estate contributes templates (one per AWS stack and distinct state)
    expect(new Set(templates.map((t) => t.name.split(' ')[0])).size).toBe(estates.filter(({ estate }) => estate.aws).length);
    const findings = lintTemplates(templates);
    expect(findings.map(formatFinding)).toEqual([]);
  }, 240_000);

  test('GIVEN a template with a deprecated engine version and a bad property WHEN linted THEN both are reported by rule and template', () => {
    if (!version) throw new Error(CFN_LINT_MISSING);
    const template = {
      Resources: {
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { Engine: 'postgres', EngineVersion: '16.4', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20', MasterUsername: 'app', ManageMasterUserPassword: true },
        },
        Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { HealthCheckPath: '/x', Bogus: 1 } },
      },
    };
    const findings = lintTemplates([{ name: 'probe normal-blue probe-aws', template }]);
    const rules = findings.map((f) => f.rule);
    expect(rules).toContain('W3691');
    expect(rules).toContain('E3002');
    expect(findings.every((f) => f.template === 'probe normal-blue probe-aws')).toBe(true);
    expect(findings.find((f) => f.rule === 'E3002')!.path).toBe('Resources/Tg/Properties/Bogus');
  }, 60_000);
});
