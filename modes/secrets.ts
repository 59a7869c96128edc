/**
 * What counts as a secret, stated once: names that look like credentials are never shown with their
 * values, in the plan, the diff or a log. Pure.
 */

/** A variable, binding or property name that looks like it holds a credential. */
export const SECRET_NAME = /secret|password|passwd|token|api[_-]?key|private[_-]?key|credential/i;

/** Placeholder shown instead of any secret value. */
export const MASK = '[secret]';

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A variable's value as it may be shown: credentials become "(set)" or "(empty)". */
export function showValue(name: string, value: string | undefined): string {
  if (value === undefined) return '(none)';
  if (looksSecret(name)) return value === '' ? '(empty)' : '(set)';
  return value === '' ? '""' : value;
}
