/**
 * A value as the user typed it, for an error message: whole when short, else its first characters
 * and its length, so a 100 KB word cannot flood the terminal. Pure.
 */

/** Characters of a long value echoed before it is cut. */
export const ECHO_CHARS = 60;

/** `value` JSON-quoted; past ECHO_CHARS characters, its start and its length: "xxxx..." (102400 characters). */
export function typed(value: string): string {
  if (value.length <= ECHO_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, ECHO_CHARS))}... (${value.length} characters)`;
}

/** Like `typed`, bare when the value is one short printable word (as it was typed on a command line). */
export function typedWord(value: string): string {
  return /^[\x21-\x7e]{1,60}$/.test(value) ? value : typed(value);
}
