/**
 * The few Workers runtime types the edge code uses that `lib: DOM` lacks, declared here instead of
 * pulling in @cloudflare/workers-types (which would clash with DOM's globals in this tsconfig).
 */
import type { GateBindings } from '../modes/gate-contract';

/** The gate's `env`: the plain_text bindings from modes/resolve.ts plus the secret_text one. */
export type GateEnv = Partial<Record<keyof GateBindings, string>> & {
  /** secret_text binding (GATE_SECRET_BINDING): the HMAC key of the staff bypass. */
  readonly BYPASS_SECRET?: string;
};

export interface HtmlElementHandle {
  prepend(content: string, options?: { html?: boolean }): HtmlElementHandle;
  getAttribute(name: string): string | null;
}

export interface HtmlRewriterLike {
  on(selector: string, handlers: { element?(element: HtmlElementHandle): void | Promise<void> }): HtmlRewriterLike;
  transform(response: Response): Response;
}

/** workerd's HTMLRewriter (undefined outside the Workers runtime). */
export function htmlRewriter(): HtmlRewriterLike | undefined {
  const ctor = (globalThis as unknown as { HTMLRewriter?: new () => HtmlRewriterLike }).HTMLRewriter;
  return ctor ? new ctor() : undefined;
}

/** The Worker module shape (`export default { fetch }`). */
export interface WorkerModule<Env> {
  fetch(request: Request, env: Env): Promise<Response>;
}
