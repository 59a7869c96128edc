/**
 * The Cloudflare renderers, keyed by their model component's kind, in declaration order (the gate
 * first): adding a component is one renderer under `components/` and one entry here.
 * CloudflareEdge declares each one's component in turn.
 */
import { byKind } from '../registry';
import { alertsRenderer } from './components/alerts';
import { appWorkersRenderer } from './components/app-workers';
import { botsRenderer } from './components/bots';
import { downPageRenderer } from './components/down-page';
import { gateRenderer } from './components/gate';
import { recordsRenderer } from './components/records';
import type { CloudflareRenderer } from './renderer';

export const CLOUDFLARE_RENDERERS: ReadonlyMap<string, CloudflareRenderer> = byKind([gateRenderer, appWorkersRenderer, botsRenderer, recordsRenderer, downPageRenderer, alertsRenderer]);
