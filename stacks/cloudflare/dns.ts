/**
 * The estate's DNS records on Cloudflare. Each record keeps one Pulumi name in every mode, so a mode
 * switch edits it in place: in a hard-down the site record's content becomes the down page's Pages
 * domain (a proxied CNAME, automatic TTL) and normal mode puts the origin back. Proxied records
 * always use automatic TTL (1); a declared transition TTL applies to unproxied records only.
 */
import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';
import type { DesiredCloudflareRecord } from '../../modes/resolve';
import { COMPONENT_TYPES, names, recordComment } from './names';

/** Cloudflare's TTL value meaning "automatic"; the only one a proxied record accepts. */
export const AUTOMATIC_TTL = 1;

/** The DnsRecord inputs of one record in one mode. */
export function dnsRecordArgs(estate: string, record: DesiredCloudflareRecord): cloudflare.DnsRecordArgs {
  return {
    zoneId: record.zoneId,
    name: record.name,
    type: record.type,
    content: record.target.value,
    proxied: record.proxied,
    ttl: record.proxied ? AUTOMATIC_TTL : record.ttl,
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
    super(COMPONENT_TYPES.dns, name, {}, opts);
    this.records = new Map(
      props.records.map((r) => [
        r.id,
        // A CNAME cannot coexist with a second record of its name, so a replacement (a new zone)
        // has to delete the old record first.
        new cloudflare.DnsRecord(names.record(props.estate, r.id), dnsRecordArgs(props.estate, r), {
          parent: this,
          deleteBeforeReplace: true,
        }),
      ]),
    );
    this.registerOutputs({});
  }
}
