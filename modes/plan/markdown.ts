/** The plan as Markdown (summary, outage, gantt chart, steps by phase, rollback) and as JSON. */
import type { PhaseName } from '../fields';
import type { Estate } from '../schema';
import { ganttChart, isDayOf, PHASE_TITLES } from './gantt';
import { isFailBack } from './moves';
import type { Check, Plan, PlanStep } from './types';

// Rendering.

export function formatMinutes(m: number): string {
  const h = Math.floor(m / 60);
  const r = Math.round(m % 60);
  if (h === 0) return `${r} min`;
  return r === 0 ? `${h} h` : `${h} h ${r} min`;
}

function checkText(c: Check): string {
  const from = c.from ? `; run it ${c.from}` : '';
  if (c.url) return `\`${c.method ?? 'GET'} ${c.url}\` → ${c.expect === undefined ? 'see the answer' : `**${c.expect}**`} (${c.what}${from})`;
  if (c.command) return `\`${c.command}\` → \`${c.output ?? '(exits 0)'}\` (${c.what}${from})`;
  return `${c.what}${from}`;
}

function stepMarkdown(s: PlanStep, label: string): string[] {
  const kind =
    s.kind === 'deploy' ? `deploy · ${s.provider}` : s.kind === 'commit' ? 'commit' : s.kind === 'snapshot' ? `snapshot · ${s.provider}` : s.request ? 'status page · request' : `manual · ${s.kind}`;
  const out = [`- [ ] **${label}. ${escapeMd(s.title)}** · ${kind} · ~${formatMinutes(s.minutes)}${s.outage ? ' · ⛔ during the outage' : ''}`];
  if (s.command) out.push('', '  ```sh', `  ${s.command}`, '  ```');
  if (s.request) {
    const r = s.request;
    const body = r.body === undefined ? [] : ['', ...JSON.stringify(r.body, null, 2).split('\n')];
    out.push('', '  It sends:', '', '  ```http', ...[`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`), ...body].map((l) => (l ? `  ${l}` : '')), '  ```');
  }
  if (s.changes.length) {
    out.push('', '  Changes:');
    for (const c of s.changes) out.push(`  - ${escapeMd(c)}`);
  }
  if (s.detail) {
    if (s.kind === 'sql' || s.kind === 'command') {
      out.push('', `  \`\`\`${s.kind === 'sql' ? 'sql' : 'sh'}`, ...s.detail.split('\n').map((l) => `  ${l}`), '  ```');
    } else {
      out.push('', `  ${escapeMd(s.detail).replace(/\n/g, '\n  ')}`);
    }
  }
  if (s.override) {
    out.push('', `  Emergency, without the commit (${s.overrideCleanup ? `the keys stay on the stack: once the estate file says the same, remove them with \`${s.overrideCleanup}\`` : 'for this run only'}): \`${s.override}\``);
  }
  if (s.checks.length) {
    out.push('', `  Check${s.checks.length > 1 ? 's' : ''}:`);
    for (const c of s.checks) out.push(`  - ${checkText(c)}`);
  }
  out.push('');
  return out;
}

function escapeMd(text: string): string {
  return text.replace(/</g, '\\<');
}

/** The plan as Markdown: summary, outage, gantt chart, steps by phase, rollback. */
export function renderPlanMarkdown(p: Plan, estate?: Estate): string {
  const out: string[] = [];
  out.push(`## Drawbridge plan: ${p.estate}, ${p.fromWord} → ${p.toWord}`, '');
  out.push(`**${p.summary}.** Generated from ${p.estateFile ? `\`${p.estateFile}\`` : 'the estate'}: change the estate, not this text.`, '');
  if (p.steps.length === 0) {
    out.push('Nothing to do: both states give the same desired state on every engine.', '');
    return out.join('\n');
  }
  out.push('| | |', '|---|---|');
  out.push(`| Steps | ${p.steps.length}, about ${formatMinutes(p.totalMinutes)} in all |`);
  const o = p.outage;
  if (o) {
    const from = o.startsAtStep ? `from step ${o.startsAtStep}` : 'from the start';
    const to = o.endsAtStep ? `until step ${o.endsAtStep}` : `until ${p.toWord} is left again`;
    let text = `${o.effect} ${from} ${to}: about ${formatMinutes(o.minutes)} of steps`;
    if (o.wayBackMinutes !== undefined) text += `, plus about ${formatMinutes(o.wayBackMinutes)} to leave it (the rollback below), plus any work the estate does not declare`;
    out.push(`| Outage | ${text} |`);
    if (o.declared) {
      out.push(`| Declared window | ${o.declared.start} → ${o.declared.end} (${formatMinutes(o.declared.minutes)}); back at ${o.declared.endIn.join(' · ')} |`);
    }
  }
  out.push('');
  for (const w of p.warnings) out.push(`> **Warning:** ${escapeMd(w)}`, '');
  for (const n of p.notes) out.push(`> **Before the day:** ${escapeMd(n)}`, '');
  out.push(ganttChart(p, estate), '');
  const early = p.steps.filter((s) => !isDayOf(s.phase));
  if (early.length) out.push(`_The chart shows the day of the move; ${early.length} earlier step${early.length > 1 ? 's are' : ' is'} listed below._`, '');
  let phase: PhaseName | undefined;
  for (const s of p.steps) {
    if (s.phase !== phase) {
      phase = s.phase;
      out.push(`### ${PHASE_TITLES[phase]}`, '');
    }
    out.push(...stepMarkdown(s, String(s.n)));
  }
  if (p.rollback) {
    out.push(`### Rollback: the way back to ${p.rollback.toWord}`, '');
    out.push(
      `If a step fails, go back the way you came, in this order (about ${formatMinutes(p.rollback.totalMinutes)}); ` +
        `it is also \`drawbridge plan ${p.toWord} ${p.rollback.toWord}\`. ` +
        'Manual work already done (SQL, data copies) is not undone by these steps' +
        (isFailBack(p.to, p.rollback.to) ? '; declared leave steps that change data (sql, command) are for completing the cutover and are left out.' : '.'),
      '',
    );
    for (const s of p.rollback.steps) out.push(...stepMarkdown(s, `R${s.n}`));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The plan as pretty JSON (the same object `plan` returns). */
export function renderPlanJson(p: Plan): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}
