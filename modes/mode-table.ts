/**
 * The mode table (DESIGN.md) as one object: what each colour's parts do in a mode state, for every
 * component to ask instead of deciding for itself. Pure.
 *
 * A colour has a status in each state:
 *
 * | status    | when                                                              |
 * |-----------|-------------------------------------------------------------------|
 * | serving   | the live colour in normal mode; a cutover's source before its freeze (and throughout when the estate does not freeze); the target once traffic is on it and it is open |
 * | idle      | a colour that carries no traffic and is not part of a cutover      |
 * | read-only | a cutover's source frozen read-only                               |
 * | down      | a cutover's source frozen with the maintenance page               |
 * | draining  | a cutover's source after the move when the estate does not freeze: sessions end on it |
 * | closed    | a cutover's target before traffic reaches it: scaled up, closed to the public |
 * | held      | a cutover's target with the traffic while the public is held on the page and staff test it |
 *
 * Maintenance is per item: an item of the live colour (or a shared one) has its maintenance setting
 * when its timing says it has switched (stages.ts).
 */
import { servingColour } from './colours';
import type { ColourName, ModeState } from './fields';
import { cutoverAtLeast, cutoverProgress, inMaintenance, type Timing } from './stages';

export type ColourStatus = 'serving' | 'idle' | 'read-only' | 'down' | 'draining' | 'closed' | 'held';

/** How the estate freezes a cutover's source. */
export type Freeze = 'read-only' | 'maintenance' | 'none';

/**
 * Where staff test the target: behind the page once traffic is on it (the public is held until it
 * opens), or before the move on the target's own address (the public sees it when traffic moves).
 */
export type TestAt = 'behind-page' | 'before-move';

export interface MovePolicy {
  readonly freeze: Freeze;
  readonly test: TestAt;
}

/** Items switch behind the page unless their timing says otherwise. */
export const BEHIND: Timing = { enter: 'behind', leave: 'behind' };
/** What customers see switches with the page. */
export const WITH_PAGE: Timing = { enter: 'page', leave: 'page' };

export class ModeTable {
  /** The colour traffic goes to: the target once a cutover has moved it. */
  readonly serving: ColourName;

  constructor(
    readonly state: ModeState,
    readonly policy: MovePolicy,
  ) {
    this.serving = servingColour(state);
  }

  /** The status of a colour (see the table above). */
  status(colour: ColourName): ColourStatus {
    const s = this.state;
    if (s.mode !== 'cutover') return colour === s.live ? 'serving' : 'idle';
    const moved = cutoverProgress(s)! >= 3;
    if (colour === s.target) {
      if (!moved) return 'closed';
      return this.policy.test === 'behind-page' ? 'held' : 'serving';
    }
    if (colour !== s.live) return 'idle';
    if (!cutoverAtLeast(s, 'freeze')) return 'serving';
    if (this.policy.freeze === 'none') return moved ? 'draining' : 'serving';
    return this.policy.freeze === 'maintenance' ? 'down' : 'read-only';
  }

  /** The cutover's source is frozen (writes stopped), with which freeze. */
  frozen(): Freeze | undefined {
    const st = this.status(this.state.live);
    return st === 'down' ? 'maintenance' : st === 'read-only' ? 'read-only' : undefined;
  }

  /** An item of this colour (undefined: shared) has its maintenance setting: maintenance mode, per its timing. */
  inMaintenance(colour: ColourName | undefined, timing: Timing): boolean {
    return inMaintenance(this.state, timing) && (colour === undefined || colour === this.state.live);
  }

  /** The application of a colour (undefined: shared) shows its own maintenance page. */
  appDown(colour: ColourName | undefined, timing: Timing, hasGate: boolean): boolean {
    if (this.inMaintenance(colour, timing)) return true;
    if (colour === undefined) return this.state.mode === 'cutover' && this.frozen() === 'maintenance';
    const st = this.status(colour);
    // Without a gate in front, the application's own page keeps the public off a colour that is
    // not open: one that is idle, or a target not yet tested.
    return st === 'down' || (!hasGate && (st === 'closed' || st === 'held' || st === 'idle'));
  }

  /** The application of a colour (undefined: shared) refuses writes. */
  appReadOnly(colour: ColourName | undefined): boolean {
    if (colour === undefined) return this.frozen() === 'read-only' || this.frozen() === 'maintenance';
    const st = this.status(colour);
    // A draining source still takes writes: without a freeze its sessions go on until they end.
    return st === 'idle' || st === 'read-only' || st === 'down' || st === 'closed';
  }

  /** Scheduled work of a colour (undefined: shared) runs. */
  runs(colour: ColourName | undefined, timing: Timing): boolean {
    if (this.inMaintenance(colour, timing) || (colour === undefined && inMaintenance(this.state, timing))) return false;
    if (colour === undefined) return this.state.mode !== 'cutover' || this.frozen() === undefined;
    return this.status(colour) === 'serving';
  }

  /** The database lets a colour's application in (undefined: shared). */
  databaseOpen(colour: ColourName | undefined, timing: Timing): boolean {
    if (this.inMaintenance(colour, timing) || (colour === undefined && inMaintenance(this.state, timing))) return false;
    if (colour === undefined) return this.frozen() !== 'maintenance';
    const st = this.status(colour);
    return st !== 'idle' && st !== 'down';
  }

  /** A colour's instances run at their normal capacity (else at 1/1, or the idle capacity). */
  scaled(colour: ColourName): 'normal' | 'one' | 'idle' {
    const st = this.status(colour);
    if (st === 'idle') return 'idle';
    if (st === 'down') return 'one';
    return 'normal';
  }

  /** The colour that holds the payment credentials, if any: never two, none while writes are frozen. */
  paymentHolder(): ColourName | undefined {
    for (const c of [this.state.live, this.state.target].filter((x): x is ColourName => !!x)) {
      const st = this.status(c);
      if (st === 'serving' || st === 'held') return c;
    }
    return undefined;
  }

  /** Health checks of a colour's groups (undefined: shared) use the maintenance path. */
  maintenanceHealth(colour: ColourName | undefined, timing: Timing): boolean {
    // In maintenance every group answers on its maintenance path (the database is closed to all).
    if (inMaintenance(this.state, timing)) return true;
    if (colour === undefined) return false;
    const st = this.status(colour);
    // A colour without traffic answers on its maintenance path too: its database access is closed,
    // and ELB health checks must not have its warm standby replaced over and over.
    return st === 'down' || st === 'read-only' || st === 'draining' || st === 'idle';
  }

  /** What the gate shows the public: the maintenance page, or reads only. */
  gate(timing: Timing = WITH_PAGE): { readonly maintenance: boolean; readonly readOnly: boolean } {
    const s = this.state;
    if (s.mode !== 'cutover') return { maintenance: inMaintenance(s, timing), readOnly: false };
    const held = this.status(s.target!) === 'held';
    const frozen = this.frozen();
    const maintenance = held || frozen === 'maintenance';
    return { maintenance, readOnly: !maintenance && frozen === 'read-only' };
  }
}
