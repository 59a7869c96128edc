/**
 * modes/echo.ts: values echoed in messages, whole when short, cut with their length when long.
 */
import { ECHO_CHARS, typed, typedWord } from '../../modes/echo';

describe('typed', () => {
  test.each<[string, string]>([
    ['maintenance', '"maintenance"'],
    ['', '""'],
    ['a "quoted" word', '"a \\"quoted\\" word"'],
    ['y'.repeat(ECHO_CHARS), `"${'y'.repeat(ECHO_CHARS)}"`],
    ['y'.repeat(ECHO_CHARS + 1), `"${'y'.repeat(ECHO_CHARS)}"... (61 characters)`],
    ['z'.repeat(102400), `"${'z'.repeat(ECHO_CHARS)}"... (102400 characters)`],
  ])('GIVEN %j THEN it is echoed as %s', (value, echo) => {
    expect(typed(value)).toBe(echo);
  });
});

describe('typedWord', () => {
  test.each<[string, string]>([
    ['bogus', 'bogus'],
    ['two words', '"two words"'],
    ['', '""'],
    ['w'.repeat(100), `"${'w'.repeat(ECHO_CHARS)}"... (100 characters)`],
  ])('GIVEN %j THEN it is echoed as %s', (value, echo) => {
    expect(typedWord(value)).toBe(echo);
  });
});
