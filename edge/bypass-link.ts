/**
 * Prints a signed staff bypass link for an estate's site (Node; not part of the Worker bundle).
 *
 *   BYPASS_SECRET=... npx tsx edge/bypass-link.ts [--estate FILE] [--site URL] [--minutes 15] [--next /path]
 *
 * The key comes from the environment only (for example `pulumi config get drawbridge:bypassSecret`
 * piped into the variable), is never printed, and never appears in the link: the link carries an
 * expiry and an HMAC over the host and that expiry. Opening it sets the bypass cookie for
 * BYPASS_TTL_SECONDS.
 */
import { join } from 'node:path';
import { resolveEstateFile } from '../modes/estate-file';
import { DrawbridgeError, runMain, show } from '../modes/errors';
import { bypassSecretProblem, DEFAULT_BYPASS_PATH, MIN_BYPASS_SECRET_LENGTH as MIN_SECRET_LENGTH } from '../modes/gate-contract';
import { loadEstate } from '../modes/load';
import { bypassLink, MAX_LINK_SECONDS } from './bypass';

const USAGE = 'usage: BYPASS_SECRET=... bypass-link [--estate FILE] [--site URL] [--minutes N] [--next /path]';

/**
 * The link for `argv`. `root` holds cdk.json, whose estate is used without --estate (a given
 * --estate is relative to the working directory).
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, root = join(__dirname, '..')): Promise<string> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (!['--estate', '--site', '--minutes', '--next'].includes(flag)) throw new DrawbridgeError(`unknown argument ${show(flag)}; ${USAGE}`);
    const value = argv[++i];
    if (!value) throw new DrawbridgeError(`${flag} needs a value; ${USAGE}`);
    opts[flag.slice(2)] = value;
  }
  const secret = env.BYPASS_SECRET ?? '';
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new DrawbridgeError(`BYPASS_SECRET must be set in the environment to the gate's key (at least ${MIN_SECRET_LENGTH} characters); ${USAGE}`);
  }
  const estateFile = resolveEstateFile(opts.estate, { root, cwd: process.cwd(), entry: 'bypass-link' });
  // Messages name --estate as typed, or the full path of cdk.json's estate.
  const estate = loadEstate(estateFile.path, opts.estate ?? estateFile.path);
  // The gate refuses a predictable key, so a link signed with one would never open anything.
  const weak = bypassSecretProblem(secret);
  if (weak !== undefined) throw new DrawbridgeError(`BYPASS_SECRET ${weak}; the gate refuses such a key`);
  const minutes = Number(opts.minutes ?? '15');
  if (!Number.isInteger(minutes) || minutes < 1 || minutes * 60 > MAX_LINK_SECONDS) {
    throw new DrawbridgeError(`--minutes ${show(opts.minutes)} is not allowed; use a whole number from 1 to ${MAX_LINK_SECONDS / 60}`);
  }
  const link = await bypassLink({
    secret,
    siteUrl: opts.site ?? estate.site.url,
    path: estate.cloudflare?.gate?.bypass.path ?? DEFAULT_BYPASS_PATH,
    validSeconds: minutes * 60,
    ...(opts.next ? { next: opts.next } : {}),
  });
  return link;
}

if (require.main === module) {
  void runMain(async () => process.stdout.write(`${await main(process.argv.slice(2))}\n`));
}
