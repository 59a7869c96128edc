/**
 * The estate's DNS records on Cloudflare (modes/components/cloudflare/records.ts). Each record
 * keeps one Pulumi name in every mode, so a mode switch edits it in place: in a hard-down the site
 * record's content becomes the down page's Pages domain (a proxied CNAME, automatic TTL) and normal
 * mode puts the origin back. TTLs are the model's: automatic for proxied records, the transition
 * TTL for unproxied ones while a window is declared.
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import { cloudflareRecords } from '../../../modes/components/cloudflare/records';
import type { DesiredCloudflareRecord } from '../../../modes/desired';
import { recordComment } from '../names';
import { defineCloudflareRenderer } from '../renderer';

export const DNS_TYPE = 'drawbridge:cloudflare:Dns';

export const dnsNames = {
  dns: (estate: string) => `${estate}-dns`,
  record: (estate: string, record: string) => `${estate}-dns-${record}`,
} as const;

/** The DnsRecord inputs of one record in one mode. */
export function dnsRecordArgs(estate: string, record: DesiredCloudflareRecord): cloudflare.DnsRecordArgs {
  return {
    zoneId: record.zoneId,
    name: record.name,
    type: record.type,
    content: record.target.value,
    proxied: record.proxied,
    // the model gives a proxied record automatic TTL
    ttl: record.ttl,
    comment: recordComment(estate, record.id),
  };
}

export interface DnsRecordsProps {
  readonly estate: string;
  /** `desired.cloudflare.records` for the mode being rendered. */
  readonly records: readonly DesiredCloudflareRecord[];
}

export class DnsRecords extends pulumi.ComponentResource {
  /** Records by estate record id. */
  readonly records: ReadonlyMap<string, cloudflare.DnsRecord>;

  constructor(name: string, props: DnsRecordsProps, opts?: pulumi.ComponentResourceOptions) {
    super(DNS_TYPE, name, {}, opts);
    this.records = new Map(
      props.records.map((r) => [
        r.id,
        // A CNAME cannot coexist with a second record of its name, so a replacement (a new zone)
        // has to delete the old record first.
        new cloudflare.DnsRecord(dnsNames.record(props.estate, r.id), dnsRecordArgs(props.estate, r), {
          parent: this,
          deleteBeforeReplace: true,
        }),
      ]),
    );
    this.registerOutputs({});
  }
}

export const recordsRenderer = defineCloudflareRenderer({
  component: cloudflareRecords,
  type: DNS_TYPE,
  replaceOnChange: { 'cloudflare:index/dnsRecord:DnsRecord': ['zoneId'] },
  render({ estate, desired }, opts) {
    const dns = new DnsRecords(dnsNames.dns(estate), { estate, records: desired.records }, opts);
    const records: Record<string, pulumi.Output<string>> = {};
    for (const r of desired.records) records[r.name] = dns.records.get(r.id)!.content.apply((c) => c ?? '');
    return { records };
  },
});
