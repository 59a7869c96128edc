/**
 * Which inputs of each Cloudflare resource the provider cannot change in place, for offline diffs
 * (`drawbridge diff` hands this table to modes/diff.ts `diffPulumi`). Each renderer states its own
 * (see renderer.ts on terraform's `RequiresReplace`); this is their union, one entry per type. A
 * changed URN is a delete plus a create whatever the table says.
 */
import type { ReplaceTable } from '../../modes/diff';
import { unionTable } from '../registry';
import { CLOUDFLARE_RENDERERS } from './renderers';

/** Type token -> inputs whose change replaces the resource (delete + create). */
export const REPLACE_ON_CHANGE: ReplaceTable = unionTable(CLOUDFLARE_RENDERERS.values());
