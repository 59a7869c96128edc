/**
 * Mode words: how a person names a mode state on the command line.
 *
 *   normal                 normal, with the colour taken from context (see below)
 *   normal@green           normal with green live
 *   maintenance@blue       maintenance (the gate answers 503) with blue live
 *   maintenance:hard-down  maintenance whose site records point at the static down page
 *   cutover@blue->green    cutover from blue (live) to green (target); quote it in a shell,
 *   cutover@blue..green    or write `..`, which needs no quotes
 *   cutover                cutover from the live colour to the other one
 *   committed              the state committed in the estate file
 *   maintenance:ahead      a stage of a move: `mode[:hard-down]:STAGE@...` (stages.ts lists them),
 *   cutover:freeze@blue->green   e.g. the cutover with the source frozen and traffic not moved yet
 *
 * Each step of a blue/green move and its fail-back is one pair of words:
 *   normal@blue -> cutover@blue->green -> normal@green      (fail-back: cutover@blue->green -> normal@blue)
 *
 * A word without a colour takes it from `defaults.live` (the CLI passes the estate's committed
 * live colour for FROM, and the colour serving customers in FROM for TO).
 *
 * Pure: no I/O, no engine imports.
 */
import { DrawbridgeError, USAGE_EXIT } from './errors';
import { typed } from './echo';
import { servingColour } from './colours';
import { COLOURS, type ColourName, type ModeState } from './fields';
import { STAGES_OF, type StageName } from './stages';
import type { Estate } from './schema';


const ALLOWED = `allowed: normal, maintenance, maintenance:hard-down, cutover, each optionally @blue or @green (cutover@blue->green) and :STAGE (maintenance:ahead, cutover:freeze@blue->green), or committed`;

function usage(message: string): DrawbridgeError {
  return new DrawbridgeError(message, USAGE_EXIT);
}

function colour(word: string, value: string, role: string): ColourName {
  if ((COLOURS as readonly string[]).includes(value)) return value as ColourName;
  throw usage(`mode ${typed(word)}: ${role} colour ${typed(value)} is not a colour; allowed colours: ${COLOURS.join(', ')}`);
}

export interface WordDefaults {
  /** Live colour for words that name none. */
  readonly live: ColourName;
}

/**
 * Parses a mode word into a ModeState. Throws a DrawbridgeError with exit code 2 when the word
 * does not follow the grammar. Whether the state suits the estate (a cutover needs blue and green
 * parts, target must differ from live) is checked by `checkModeState`, not here.
 */
export function parseModeWord(word: string, estate: Estate, defaults: WordDefaults = { live: estate.state.live }): ModeState {
  const text = word.trim();
  if (text === '') throw usage(`empty mode word; ${ALLOWED}`);
  if (text === 'committed') return { ...estate.state };
  const at = text.indexOf('@');
  const head = at === -1 ? text : text.slice(0, at);
  const tail = at === -1 ? undefined : text.slice(at + 1);
  const [mode, ...qualifiers] = head.split(':');
  if (mode !== 'normal' && mode !== 'maintenance' && mode !== 'cutover') {
    const hint = suggestion(mode ?? '');
    throw usage(`unknown mode ${typed(word)}${hint ? ` (did you mean ${hint}?)` : ''}; ${ALLOWED}`);
  }
  // After the mode: maintenance's variant hard-down, then a stage of the mode, each after a ':'.
  let hardDown = false;
  let stage: StageName | undefined;
  for (const q of qualifiers) {
    // (normal:hard-down:behind is a hard-down being left: the page still up.)
    if (q === 'hard-down' && mode !== 'cutover' && !hardDown && !stage) hardDown = true;
    else if ((STAGES_OF[mode] as readonly string[]).includes(q) && !stage) stage = q as StageName;
    else {
      const stages = STAGES_OF[mode].join(', ');
      throw usage(
        `mode ${typed(word)}: ${typed(q)} is not ${mode === 'maintenance' ? 'the variant hard-down or ' : ''}a stage of ${mode}; ${mode}'s stages: ${stages}, written ${mode}${mode === 'maintenance' ? '[:hard-down]' : ''}:STAGE`,
      );
    }
  }
  const staged = stage ? { stage } : {};

  switch (mode) {
    case 'normal':
    case 'maintenance': {
      if (tail !== undefined && /->|\.\./.test(tail)) {
        throw usage(`mode ${typed(word)}: only cutover names two colours; write ${mode}@blue or ${mode}@green`);
      }
      const live = tail === undefined ? defaults.live : colour(word, tail, 'live');
      return { mode, live, hardDown, ...staged };
    }
    case 'cutover': {
      if (tail === undefined) {
        const live = defaults.live;
        const target = COLOURS.find((c) => c !== live) as ColourName;
        return { mode: 'cutover', live, target, hardDown: false, ...staged };
      }
      const parts = tail.split(/->|\.\./);
      if (parts.length !== 2 || parts[1] === '') {
        if (/-$/.test(tail)) {
          throw usage(
            `mode ${typed(word)} is cut short: the shell took '>' as a redirection (check for a stray file); quote the word ('cutover@blue->green') or write cutover@blue..green`,
          );
        }
        throw usage(`mode ${typed(word)}: a cutover names both colours, live then target: cutover@blue->green or cutover@green->blue`);
      }
      const live = colour(word, parts[0] as string, 'live');
      const target = colour(word, parts[1] as string, 'target');
      return { mode: 'cutover', live, target, hardDown: false, ...staged };
    }
  }
}

function suggestion(mode: string): string | undefined {
  const m = mode.toLowerCase();
  if (m === 'hard-down' || m === 'harddown' || m === 'down') return 'maintenance:hard-down';
  if (m.startsWith('main') || m === 'maint') return 'maintenance';
  if (m.startsWith('norm') || m === 'live' || m === 'up') return 'normal';
  if (m.startsWith('cut') || m === 'switch' || m === 'blue-green') return 'cutover@blue->green';
  return undefined;
}

/**
 * The canonical word for a state: `normal@blue`, `maintenance:hard-down@blue`,
 * `cutover@blue->green`, and with a stage `maintenance:ahead@blue`, `cutover:freeze@blue->green`.
 */
export function formatModeWord(state: ModeState): string {
  const stage = state.stage ? `:${state.stage}` : '';
  if (state.mode === 'cutover') return `cutover${stage}@${state.live}->${state.target ?? '?'}`;
  return `${state.mode}${state.hardDown ? ':hard-down' : ''}${stage}@${state.live}`;
}

/**
 * FROM and TO for a command: FROM defaults to the committed state; a TO without a colour keeps
 * the colour that serves customers in FROM (so `cutover@blue->green` then `normal` is normal@green).
 */
export function parseMove(estate: Estate, fromWord: string | undefined, toWord: string | undefined, fromEstate: Estate = estate): { from: ModeState; to: ModeState } {
  const from = fromWord === undefined ? { ...fromEstate.state } : parseModeWord(fromWord, fromEstate, { live: fromEstate.state.live });
  const to = toWord === undefined ? { ...estate.state } : parseModeWord(toWord, estate, { live: servingColour(from) });
  return { from, to };
}

