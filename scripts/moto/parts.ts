/**
 * The parts of an estate that exist before Drawbridge (the estate imports them by id): created in
 * the emulator with the AWS SDK for JavaScript v3, as a team's console or Terraform made them. The
 * result maps each id of the example estate to the id the emulator gave, so the estate file can be
 * rewritten to point at them (`rewriteEstate`).
 */
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateLaunchTemplateCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateHostedZoneCommand, DeleteHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { crc32 } from 'node:zlib';
import { parseDocument } from 'yaml';
import type { Estate } from '../../modes/schema';

/** How every client reaches the emulator. */
export interface Endpoint {
  readonly endpoint: string;
  readonly region: string;
}

export function clientConfig({ endpoint, region }: Endpoint) {
  // Node 20 is the project's runtime; the SDK's notice that later releases need 22 is known.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 };
}

/** The emulator's ids for the estate's existing parts, by the example estate's id. */
export type IdMap = Map<string, string>;

/** A zip archive holding one stored (uncompressed) file: a Lambda function's code. */
export function zipOne(name: string, content: string): Uint8Array {
  const data = Buffer.from(content);
  const file = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(file.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + file.length, 12);
  end.writeUInt32LE(local.length + file.length + data.length, 16);
  return Buffer.concat([local, file, data, central, file, end]);
}

/** The account the emulator answers for. */
export async function accountOf(at: Endpoint): Promise<string> {
  const id = await new STSClient(clientConfig(at)).send(new GetCallerIdentityCommand({}));
  return id.Account!;
}

/**
 * Creates every part `estate` imports (VPC, subnets, security groups, load balancer, certificate,
 * launch templates, Lambda targets, hosted zone) and returns the example's ids mapped to the new ones.
 */
export async function createExistingParts(estate: Estate, at: Endpoint, text = ''): Promise<IdMap> {
  const aws = estate.aws;
  const ids: IdMap = new Map();
  if (!aws) return ids;
  const cfg = clientConfig(at);
  const ec2 = new EC2Client(cfg);
  ids.set(aws.account, await accountOf(at));

  let vpcId: string | undefined;
  const subnets: string[] = [];
  const publicSubnets: string[] = [];
  if (aws.vpc) {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
    vpcId = vpc.Vpc!.VpcId!;
    ids.set(aws.vpc.id, vpcId);
    const zones = aws.vpc.availabilityZones;
    const lists: [readonly string[], string[]][] = [
      [aws.vpc.privateSubnetIds, subnets],
      [aws.vpc.publicSubnetIds ?? [], publicSubnets],
    ];
    let n = 0;
    for (const [list, into] of lists) {
      for (const [i, old] of list.entries()) {
        const s = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.20.${n++}.0/24`, AvailabilityZone: zones[i % zones.length] }));
        ids.set(old, s.Subnet!.SubnetId!);
        into.push(s.Subnet!.SubnetId!);
      }
    }
  }
  const securityGroup = async (old: string, what: string) => {
    if (ids.has(old)) return ids.get(old)!;
    if (!vpcId) throw new Error(`${what} needs a VPC`);
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `existing-${old}`, Description: what, VpcId: vpcId }));
    ids.set(old, sg.GroupId!);
    return sg.GroupId!;
  };

  const lb = aws.loadBalancer;
  if (lb) {
    const sg = await securityGroup(lb.securityGroupId, 'load balancer');
    const name = lb.arn.split('/')[2]!;
    const made = await new ElasticLoadBalancingV2Client(cfg).send(
      new CreateLoadBalancerCommand({ Name: name, Subnets: publicSubnets.length > 0 ? publicSubnets : subnets, SecurityGroups: [sg], Scheme: 'internet-facing', Type: 'application' }),
    );
    const created = made.LoadBalancers![0]!;
    ids.set(lb.arn, created.LoadBalancerArn!);
    ids.set(lb.dnsName, created.DNSName!);
    ids.set(lb.canonicalHostedZoneId, created.CanonicalHostedZoneId!);
    if (lb.listener?.certificateArn) {
      const cert = await new ACMClient(cfg).send(new RequestCertificateCommand({ DomainName: new URL(estate.site.url).hostname, ValidationMethod: 'DNS' }));
      ids.set(lb.listener.certificateArn, cert.CertificateArn!);
    }
  }
  for (const access of aws.databaseAccess ?? []) {
    for (const from of access.allowFrom) await securityGroup(from.securityGroupId, from.description ?? access.description);
  }

  const groups = aws.autoScalingGroups ?? [];
  if (groups.length > 0) {
    const images = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }));
    const imageId = images.Images?.[0]?.ImageId;
    if (!imageId) throw new Error(`the emulator has no Amazon images in ${at.region}`);
    for (const g of groups) {
      if (ids.has(g.launchTemplateId)) continue;
      const lt = await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `existing-${g.launchTemplateId}`, LaunchTemplateData: { ImageId: imageId, InstanceType: 't3.micro' } }));
      ids.set(g.launchTemplateId, lt.LaunchTemplate!.LaunchTemplateId!);
      for (const old of g.subnetIds ?? []) if (!ids.has(old)) throw new Error(`group ${g.name}: subnet ${old} is not one of the VPC's subnets`);
    }
  }

  const functions = (aws.scheduledJobs ?? []).flatMap((j) => (j.targetArn ? [j.targetArn] : []));
  if (functions.length > 0) {
    const role = await new IAMClient(cfg).send(
      new CreateRoleCommand({
        RoleName: 'existing-lambda-role',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      }),
    );
    const lambda = new LambdaClient(cfg);
    for (const arn of new Set(functions)) {
      const made = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: arn.split(':').at(-1)!,
          Runtime: 'nodejs20.x',
          Role: role.Role!.Arn!,
          Handler: 'index.handler',
          Code: { ZipFile: zipOne('index.js', 'exports.handler = async () => ({ ok: true });\n') },
        }),
      );
      ids.set(arn, made.FunctionArn!);
    }
  }

  // SNS topics (scaling notifications): every topic ARN the estate names
  const topics = new Set(text.match(/arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+/g) ?? []);
  for (const arn of topics) {
    const made = await new SNSClient(cfg).send(new CreateTopicCommand({ Name: arn.split(':').at(-1)! }));
    ids.set(arn, made.TopicArn!);
  }

  if (aws.dns) ids.set(aws.dns.hostedZone.id, await hostedZone(new Route53Client(cfg), aws.dns.hostedZone.name));
  return ids;
}

/**
 * A hosted zone whose id starts with Z, as every Route53 zone id does (the estate schema requires
 * it). moto draws its ids from [A-Z0-9] (moto/route53/models.py create_route53_zone_id), so zones
 * are created until one starts with Z (1 in 36) and the others deleted.
 */
async function hostedZone(route53: Route53Client, name: string): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const zone = await route53.send(new CreateHostedZoneCommand({ Name: name, CallerReference: `drawbridge-${i}-${Date.now()}` }));
    const id = zone.HostedZone!.Id!.replace(/^\/hostedzone\//, '');
    if (id.startsWith('Z')) return id;
    await route53.send(new DeleteHostedZoneCommand({ Id: id }));
  }
  throw new Error(`moto handed out no hosted zone id starting with Z in 1000 tries`);
}

/** The estate file's text with every id replaced by the emulator's (whole YAML scalars only; comments kept). */
export function rewriteEstate(text: string, ids: IdMap): string {
  const doc = parseDocument(text);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return ids.get(node) ?? node;
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  const data = walk(doc.toJS());
  const out = parseDocument(text);
  // replace scalar by scalar so the file keeps its comments and layout
  const visit = (path: (string | number)[], value: unknown) => {
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit([...path, Array.isArray(value) ? Number(k) : k], v);
    } else if (typeof value === 'string' && out.getIn(path) !== value) {
      out.setIn(path, value);
    }
  };
  visit([], data);
  return out.toString();
}
