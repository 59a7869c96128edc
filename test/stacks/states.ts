/** The mode states the stack tests render (modes/staged-states.ts), and the state an estate starts from. */
import type { Estate, ModeState } from '../../modes/schema';
import { supportedModeStates } from '../../modes/state';

export { stagedStates } from '../../modes/staged-states';

/** The complete normal state an estate starts from (blue live). */
export const normalOf = (estate: Estate): ModeState => supportedModeStates(estate)[0]!;
