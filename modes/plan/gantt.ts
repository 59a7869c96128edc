/** The Mermaid gantt chart of the day of a move (phases minutes-before to after). */
import { PHASES, type PhaseName } from '../fields';
import type { Estate } from '../schema';
import type { Plan, PlanStep } from './types';

export const PHASE_TITLES: Record<PhaseName, string> = {
  'days-before': 'Days before',
  'day-before': 'Day before',
  'minutes-before': 'Minutes before',
  start: 'Start',
  end: 'End',
  after: 'After',
};

/** Whether a phase is on the day of the move (what the chart shows). */
export function isDayOf(phase: PhaseName): boolean {
  return PHASES.indexOf(phase) >= PHASES.indexOf('minutes-before');
}

/** Minutes from the first on-the-day step to the start of each step, anchored for the gantt chart. */
function timeline(p: Plan): { start: number; step: PlanStep }[] {
  const day = p.steps.filter((s) => isDayOf(s.phase));
  let t = 0;
  return day.map((step) => {
    const start = t;
    t += step.minutes;
    return { start, step };
  });
}

function anchor(p: Plan, estate: Estate | undefined): { origin: number; label: string } {
  const tl = timeline(p);
  const w = estate?.window;
  if (w) {
    // Entering: the deploy phase opens at the window's start. Leaving: customers are back by its end.
    if (p.direction === 'leave') {
      const back = tl.find((x) => x.step.n === p.outage?.endsAtStep);
      const until = back ? back.start + back.step.minutes : tl.reduce((n, x) => n + x.step.minutes, 0);
      return { origin: Date.parse(w.end) - until * 60000, label: 'times in UTC, customers served again at the window end' };
    }
    const first = tl.find((x) => x.step.phase === 'start' || x.step.phase === 'end');
    return { origin: Date.parse(w.start) - (first ? first.start : 0) * 60000, label: 'times in UTC, window start at the first deploy' };
  }
  return { origin: Date.UTC(2000, 0, 1, 0, 0), label: 'hours:minutes from the first step (no window declared)' };
}

function mermaidTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function mermaidText(text: string): string {
  return text.replace(/[:;#]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 70);
}

/** The Mermaid gantt chart of the day of the move (phases minutes-before to after). */
export function ganttChart(p: Plan, estate?: Estate): string {
  const tl = timeline(p);
  const { origin, label } = anchor(p, estate);
  const lines = ['```mermaid', 'gantt', `  title ${mermaidText(`${p.estate} ${p.fromWord} to ${p.toWord}`)} (${mermaidText(label)})`, '  dateFormat YYYY-MM-DD HH:mm', '  axisFormat %H:%M'];
  let phase: PhaseName | undefined;
  for (const { start, step } of tl) {
    if (step.phase !== phase) {
      phase = step.phase;
      lines.push(`  section ${PHASE_TITLES[phase]}`);
    }
    const from = origin + start * 60000;
    const to = from + Math.max(step.minutes, 1) * 60000;
    const tags = [step.kind === 'deploy' || step.kind === 'snapshot' ? 'crit' : '', step.outage ? 'active' : ''].filter(Boolean);
    lines.push(`  ${mermaidText(`${step.n}. ${step.title}`)} :${tags.length ? `${tags.join(', ')}, ` : ''}s${step.n}, ${mermaidTime(from)}, ${mermaidTime(to)}`);
  }
  const out = tl.filter((x) => x.step.outage);
  if (out.length) {
    const s = origin + out[0]!.start * 60000;
    const last = out[out.length - 1]!;
    const e = origin + (last.start + Math.max(last.step.minutes, 1)) * 60000;
    lines.push('  section Customers', `  ${p.outage?.effect.includes('503') ? 'Maintenance page up' : 'Writes refused'}${p.outage?.endsAtStep ? '' : ' (continues)'} :crit, outage, ${mermaidTime(s)}, ${mermaidTime(e)}`);
  }
  lines.push('```');
  return lines.join('\n');
}
