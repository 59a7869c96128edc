/**
 * The desired state: what `resolve(estate, state)` returns and every renderer reads (the CDK stacks,
 * the Pulumi program, the plan). Types only.
 */
import type { ColourName, ModeState, Window } from './fields';
import type { GateBindings } from './gate-contract';
import type { ZonedTime } from './time';

export interface DesiredVpc {
  readonly id: string;
  readonly availabilityZones: readonly string[];
  readonly privateSubnetIds: readonly string[];
  readonly publicSubnetIds?: readonly string[];
}

export interface DesiredBots {
  readonly zone: string;
  readonly zoneId: string;
  /** The zone's domain, e.g. example.com. */
  readonly zoneName: string;
  readonly plan: 'free' | 'pro' | 'business' | 'enterprise';
  readonly verifiedBots: 'allow' | 'block';
  readonly fightMode: boolean;
}

export interface DesiredTargetGroup {
  readonly id: string;
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly healthPath: string;
  readonly deregistrationDelaySeconds: number;
  readonly colour?: ColourName;
}

export interface WeightedForward {
  readonly targets: readonly { readonly targetGroup: string; readonly weight: number }[];
}

export interface DesiredListener {
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly certificateArn?: string;
  readonly sslPolicy: string;
  readonly default: WeightedForward;
  readonly rules: readonly (WeightedForward & { readonly priority: number; readonly hosts?: readonly string[]; readonly paths?: readonly string[] })[];
}

/** Where a group's scaling notifications go (an SNS topic), or the estate's reason it needs none. */
export type DesiredNotifications = { readonly topicArn: string } | { readonly none: string };

export interface DesiredCapacity {
  readonly id: string;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly colour?: ColourName;
  readonly launchTemplateId: string;
  readonly launchTemplateVersion: string;
  readonly targetGroups: readonly string[];
  readonly subnetIds: readonly string[];
  readonly notifications: DesiredNotifications;
}

export interface DesiredJob {
  readonly id: string;
  readonly name: string;
  readonly schedule: string;
  readonly description?: string;
  readonly targetArn?: string;
  readonly enabled: boolean;
  readonly colour?: ColourName;
}

export interface DesiredDatabaseAccess {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly port: number;
  /** Security groups allowed in, in this mode (empty: closed). */
  readonly open: readonly { readonly securityGroupId: string; readonly description: string }[];
}

export interface DesiredParameter {
  readonly id: string;
  readonly name: string;
  readonly flag: 'maintenance' | 'readOnly' | 'notice';
  readonly value: string;
  /** The flag is on (value is its `on` value). */
  readonly set: boolean;
  readonly colour?: ColourName;
}

export type RecordValue =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'loadBalancer'; readonly value: string }
  | { readonly kind: 'beanstalk'; readonly colour: ColourName; readonly value: string }
  | { readonly kind: 'colour'; readonly colour: ColourName; readonly value: string };

export interface DesiredRoute53Record {
  readonly id: string;
  readonly name: string;
  readonly type: 'A' | 'CNAME';
  readonly ttl: number;
  readonly target: RecordValue;
}

/**
 * The value of one Beanstalk variable: plain text, a database's endpoint attribute (rendered as
 * Fn::GetAtt on the RDS instance) or a field of a Secrets Manager secret (a dynamic reference).
 */
export type DesiredVariable =
  | string
  | { readonly database: string; readonly identifier: string; readonly attribute: 'address' | 'port' }
  | { readonly secret: string; readonly field: string };

export interface DesiredBeanstalkApplication {
  /** The estate id of an application of `aws.beanstalk` as a list; none for the single form (logical id `Application`). */
  readonly id?: string;
  /** The application's name (ApplicationName). */
  readonly name: string;
  readonly solutionStackName: string;
  readonly instanceType: string;
  readonly instanceProfile: string;
  readonly serviceRole: string;
}

export interface DesiredBeanstalkEnvironment {
  readonly id: string;
  /** The name of its application. */
  readonly application: string;
  readonly colour: ColourName;
  readonly name: string;
  readonly cnamePrefix: string;
  /** `<prefix>.<region>.elasticbeanstalk.com`: what DNS points at. */
  readonly cname: string;
  readonly min: number;
  readonly max: number;
  /** Every managed variable, set in every mode (empty string where off): CloudFormation keeps deleted OptionSettings. */
  readonly variables: Readonly<Record<string, DesiredVariable>>;
  readonly holdsPaymentSecret: boolean;
}

export interface DesiredDatabase {
  readonly id: string;
  readonly colour: ColourName;
  readonly identifier: string;
  readonly engine: 'postgres' | 'mysql';
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly snapshotIdentifier?: string;
  readonly port: number;
  readonly masterUsername?: string;
  readonly masterSecretArn?: string;
}

export interface DesiredAws {
  readonly account: string;
  readonly region: string;
  readonly split: 'none' | 'component';
  readonly vpc?: DesiredVpc;
  readonly loadBalancer?: { readonly arn: string; readonly dnsName: string; readonly canonicalHostedZoneId: string; readonly securityGroupId: string };
  readonly targetGroups: readonly DesiredTargetGroup[];
  readonly listener?: DesiredListener;
  readonly autoScalingGroups: readonly DesiredCapacity[];
  readonly scheduledJobs: readonly DesiredJob[];
  readonly databaseAccess: readonly DesiredDatabaseAccess[];
  readonly parameters: readonly DesiredParameter[];
  readonly beanstalk?: {
    readonly applications: readonly DesiredBeanstalkApplication[];
    /** Every application's environments, in application order, blue then green. */
    readonly environments: readonly DesiredBeanstalkEnvironment[];
  };
  readonly databases: readonly DesiredDatabase[];
  readonly dns?: { readonly hostedZone: { readonly id: string; readonly name: string }; readonly records: readonly DesiredRoute53Record[] };
}

export interface DesiredCloudflareRecord {
  readonly id: string;
  readonly zone: string;
  readonly zoneId: string;
  readonly name: string;
  readonly type: 'A' | 'AAAA' | 'CNAME';
  readonly proxied: boolean;
  /** 1 means automatic (always for proxied records). */
  readonly ttl: number;
  readonly target: RecordValue | { readonly kind: 'downPage'; readonly value: string };
}

/** One key Drawbridge writes in the application Workers' KV namespace. */
export interface DesiredAppWorkerKey {
  /** The key as the estate names it, e.g. MAINTENANCE. */
  readonly key: string;
  /** A flag ("1" or "0") or the window's end in one time zone. */
  readonly kind: 'maintenance' | 'readOnly' | 'completionTime';
  /** Its name in the namespace: `<scriptName>/<key>`, the same in every mode. */
  readonly name: string;
  readonly value: string;
  /** completionTime: the IANA zone the end is shown in. */
  readonly timeZone?: string;
}

/** One of the application's own Workers: the keys it reads. */
export interface DesiredAppWorker {
  readonly id: string;
  readonly scriptName: string;
  /** The estate zone whose traffic it serves, when given. */
  readonly zone?: string;
  readonly keys: readonly DesiredAppWorkerKey[];
}

/** The KV namespace Drawbridge owns for the application's Workers, and their keys. */
export interface DesiredAppWorkers {
  /** The namespace's title. */
  readonly namespace: string;
  readonly workers: readonly DesiredAppWorker[];
}

/**
 * One mute of the declared window (cloudflare.alerts): from the window's start minus the lead to
 * its end plus the grace, as UTC ISO-8601 with whole seconds and `Z` (2030-03-17T05:50:00Z).
 */
export type DesiredAlertMute = {
  readonly start: string;
  readonly end: string;
  /** What Datadog and PagerDuty show with it: the window's reason, and that Drawbridge owns it. */
  readonly message: string;
} & (
  | {
      readonly id: 'datadog';
      readonly service: 'datadog';
      /** The downtime applies to monitors with all of these tags. */
      readonly monitorTags: readonly string[];
      /** The window's first time zone: how Datadog shows the times. */
      readonly displayTimezone: string;
    }
  | { readonly id: 'pagerduty'; readonly service: 'pagerduty'; readonly serviceIds: readonly string[] }
);

/** Alerts muted for the declared window: present while the estate declares alerts and a window. */
export interface DesiredAlerts {
  readonly mutes: readonly DesiredAlertMute[];
}

export interface DesiredCloudflare {
  readonly accountId: string;
  /** Drawbridge's maintenance gate Worker, when the estate has one in front. */
  readonly gate?: {
    readonly scriptName: string;
    readonly routes: readonly { readonly zone: string; readonly zoneId: string; readonly pattern: string }[];
    readonly bindings: GateBindings;
  };
  /** The application's own Workers' flags, when the estate declares them. */
  readonly appWorkers?: DesiredAppWorkers;
  /** The Datadog downtime and PagerDuty maintenance window of the declared window, when the estate declares them. */
  readonly alerts?: DesiredAlerts;
  readonly bots: readonly DesiredBots[];
  readonly records: readonly DesiredCloudflareRecord[];
  readonly downPage?: {
    readonly projectName: string;
    readonly pagesDomain: string;
    readonly domain?: string;
    readonly zone?: string;
    readonly zoneId?: string;
    /**
     * Site records that move to the page in a hard-down. Pages serves a host name only when it is a
     * custom domain of the project, so each is attached in every mode, ready before it is needed.
     */
    readonly siteDomains: readonly { readonly id: string; readonly name: string }[];
  };
}

export interface DesiredState {
  readonly estate: string;
  readonly state: ModeState;
  readonly window?: Window & { readonly endIn: readonly ZonedTime[] };
  readonly aws?: DesiredAws;
  readonly cloudflare?: DesiredCloudflare;
}
