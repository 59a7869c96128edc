/**
 * The gate Worker as `npm run build:edge` leaves it: `dist/edge/gate.js` plus `manifest.json`
 * (main module, compatibility date, sha256, the bindings the bundle reads). Read at program time;
 * a missing, stale or mismatched build is a user error with the command that fixes it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GATE_BUNDLE, GATE_COMPATIBILITY_DATE, GATE_MAIN_MODULE, GATE_MANIFEST, type GateManifest } from '../../edge/contract';
import { DrawbridgeError } from '../../modes/errors';
import { GATE_SECRET_BINDING, type GateBindings } from '../../modes/gate-contract';

/** What the WorkersScript needs from the build. */
export interface GateBundle {
  /** The ES module source (`export default { fetch }`). */
  readonly script: string;
  /** Name the script is uploaded under (WorkersScript `mainModule`). */
  readonly mainModule: string;
  /** Workers runtime compatibility date the bundle was built and tested for. */
  readonly compatibilityDate: string;
}

const REBUILD = 'run `npm run build:edge`';

/** The plain-text binding names the model sets, which the bundle must read. */
export function bindingNames(bindings: GateBindings): (keyof GateBindings)[] {
  return Object.keys(bindings) as (keyof GateBindings)[];
}

/** A bundle from source text alone, with the edge contract's module name and date. */
export function gateBundle(script: string): GateBundle {
  return { script, mainModule: GATE_MAIN_MODULE, compatibilityDate: GATE_COMPATIBILITY_DATE };
}

/**
 * Reads the gate bundle under `projectRoot`. When the manifest is there, the bundle must match it
 * (sha256) and read exactly the bindings the model sets (`bindingNames`, plus the bypass secret).
 */
export function readGateBundle(projectRoot: string, bindingNames?: readonly (keyof GateBindings)[]): GateBundle {
  const file = path.join(projectRoot, GATE_BUNDLE);
  if (!existsSync(file)) {
    throw new DrawbridgeError(`the gate Worker bundle ${GATE_BUNDLE} does not exist; ${REBUILD} first (it bundles edge/ into the Worker script)`);
  }
  const script = readFileSync(file, 'utf8');
  if (script.trim() === '') throw new DrawbridgeError(`${GATE_BUNDLE} is empty; ${REBUILD} again`);

  const manifestFile = path.join(projectRoot, GATE_MANIFEST);
  if (!existsSync(manifestFile)) return gateBundle(script);
  let manifest: Partial<GateManifest>;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Partial<GateManifest>;
  } catch (e) {
    throw new DrawbridgeError(`${GATE_MANIFEST} is not valid JSON (${(e as Error).message}); ${REBUILD} again`);
  }
  const problems: string[] = [];
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (manifest.sha256 !== undefined && manifest.sha256 !== sha256) {
    problems.push(`${GATE_BUNDLE} does not match ${GATE_MANIFEST} (sha256 ${sha256.slice(0, 12)}... vs ${manifest.sha256.slice(0, 12)}...); ${REBUILD} again`);
  }
  if (bindingNames && manifest.plainTextBindings) {
    const expected = [...bindingNames].sort().join(', ');
    const built = [...manifest.plainTextBindings].sort().join(', ');
    if (expected !== built) problems.push(`the gate bundle reads plain_text bindings ${built}, but the model sets ${expected}; ${REBUILD} again`);
  }
  if (manifest.secretTextBindings && !manifest.secretTextBindings.includes(GATE_SECRET_BINDING)) {
    problems.push(`the gate bundle does not read the ${GATE_SECRET_BINDING} secret binding; ${REBUILD} again`);
  }
  if (problems.length) throw new DrawbridgeError(problems);
  return {
    script,
    mainModule: manifest.mainModule ?? GATE_MAIN_MODULE,
    compatibilityDate: manifest.compatibilityDate ?? GATE_COMPATIBILITY_DATE,
  };
}
