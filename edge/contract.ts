/**
 * What the edge build hands to the Pulumi program and the tests: where the bundles are and how to
 * upload them. scripts/build-edge.ts writes these files; stacks/cloudflare reads them.
 */

import type { GateBindings } from '../modes/gate-contract';

/** The gate Worker bundle, relative to the repository root: one ES module. */
export const GATE_BUNDLE = 'dist/edge/gate.js';
/** Name of the main module when uploading the bundle (WorkersScript `mainModule`). */
export const GATE_MAIN_MODULE = 'gate.js';
/** JSON written next to the bundle: main module, compatibility date, sha256, bindings. */
export const GATE_MANIFEST = 'dist/edge/manifest.json';
/**
 * Compatibility date the gate is built and tested for (WorkersScript `compatibilityDate`). Tests
 * run it in workerd with this date, so raise it only together with the installed miniflare.
 */
export const GATE_COMPATIBILITY_DATE = '2026-04-20';
/** The Pages build output of an estate's down page: `dist/pages/<estate name>/`. */
export const PAGES_ROOT = 'dist/pages';

export function pagesDir(estateName: string): string {
  return `${PAGES_ROOT}/${estateName}`;
}

export interface GateManifest {
  /** The bundle's file name, relative to the manifest. */
  readonly file: string;
  readonly mainModule: string;
  readonly compatibilityDate: string;
  readonly format: 'esm';
  /** Hex SHA-256 of the bundle (WorkersScript `contentSha256`). */
  readonly sha256: string;
  readonly bytes: number;
  /** plain_text bindings the gate reads (modes/gate-contract.ts GateBindings). */
  readonly plainTextBindings: readonly string[];
  /** secret_text bindings the gate reads. */
  readonly secretTextBindings: readonly string[];
}

/** Every GateBindings key, checked by the compiler: a binding added to GateBindings must be added here. */
const PLAIN_TEXT: Record<keyof GateBindings, true> = {
  MAINTENANCE: true,
  READ_ONLY: true,
  REASON: true,
  WINDOW_ANNOUNCE: true,
  WINDOW_START: true,
  WINDOW_END: true,
  TIME_ZONES: true,
  HEALTH_PATHS: true,
  ALLOW_PATHS: true,
  API_PATHS: true,
  BYPASS_ALLOW_IPS: true,
  BYPASS_COOKIE: true,
  BYPASS_TTL_SECONDS: true,
  BYPASS_PATH: true,
  BRAND_NAME: true,
  BRAND_COLOUR: true,
  STATUS_URL: true,
  CONTACT: true,
};

/** The gate's plain_text bindings, in GateBindings order. */
export const GATE_PLAIN_TEXT_BINDINGS = Object.keys(PLAIN_TEXT) as readonly (keyof GateBindings)[];
