/**
 * Every mode state an estate supports (modes/state.ts) and, after each, the stages of the moves into
 * it (modes/stages.ts): entering maintenance at ahead and page, leaving it (a hard-down too) at
 * behind and page, a cutover at prepare, freeze, restore and move. Each stage is written as the CLI
 * names it (`maintenance:ahead@blue`, `cutover:freeze@blue->green`) and parsed back, so the states
 * are the ones an operator can commit or pass on the command line. The stack tests and
 * `npm run lint:cfn` render them all.
 */
import type { Estate, ModeState } from './schema';
import { STAGES_OF } from './stages';
import { checkModeState, supportedModeStates } from './state';
import { formatModeWord, parseModeWord } from './words';

/** `mode[:hard-down]:STAGE@colours` for a complete state and one of its stages. */
function staged(state: ModeState, stage: string, mode: ModeState['mode'] = state.mode): string {
  const [head, colours] = formatModeWord({ ...state, mode }).split('@');
  return `${head}:${stage}@${colours}`;
}

/** Every state `estate` supports and every stage of the moves between them that it accepts, in the order of a full cycle. */
export function stagedStates(estate: Estate): ModeState[] {
  const words = supportedModeStates(estate).flatMap((s) => [
    formatModeWord(s),
    ...STAGES_OF[s.mode].map((stage) => staged(s, stage)),
    // leaving a hard-down: the site record still on the down page until the page comes down
    ...(s.mode === 'maintenance' && s.hardDown ? STAGES_OF.normal.map((stage) => staged(s, stage, 'normal')) : []),
  ]);
  return words
    .map((w) => parseModeWord(w, estate))
    .filter((s) => {
      try {
        checkModeState(estate, s, new Date(0));
        return true;
      } catch {
        return false;
      }
    });
}
