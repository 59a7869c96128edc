/**
 * What people and API clients see while the site is closed: one branded HTML page and one JSON
 * body, used by the gate Worker and by the static down page, plus the announcement banner and the
 * staff bypass form. Pure string building: no runtime APIs, so the build script renders the very
 * same page into the Pages output.
 *
 * The page makes no external requests (inline CSS, data: favicon, no scripts, no fonts) and is
 * served with a Content-Security-Policy that forbids them, so it renders when everything else is down.
 */
import type { ZonedTime } from '../modes/time';
import type { PageContent, Window } from './config';

/** maintenance: the gate in maintenance. read-only: a write refused during a cutover. down: the static down page. */
export type PageKind = 'maintenance' | 'read-only' | 'down';

/** Served by the gate for the bypass form and by the down page; our own pages only need inline CSS. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * robots.txt of the down page: crawling stays allowed, so crawlers see 503 + Retry-After on pages
 * and come back later, which keeps the site's ranking; a Disallow here would tell them to go away.
 */
export const ROBOTS_TXT = '# Temporarily down for maintenance: pages answer 503 with Retry-After.\nUser-agent: *\nDisallow:\n';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** "America/New_York" -> "New York"; "UTC" stays. */
export function zoneLabel(zone: string): string {
  const last = zone.split('/').pop() ?? zone;
  return last.replace(/_/g, ' ');
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function hex([r, g, b]: readonly number[]): string {
  return `#${[r, g, b].map((c) => Math.round(c ?? 0).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG relative luminance. */
function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1..21). */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const INK = '#1a1a1a';
const PAPER = '#ffffff';

/** Colours derived from the brand colour that keep WCAG AA contrast whatever the brand is. */
export function palette(brand: string): { band: string; onBand: string; accent: string } {
  // Against white or pure black, any colour reaches at least sqrt(21) = 4.58:1.
  const onBand = contrast(PAPER, brand) >= contrast('#000000', brand) ? PAPER : '#000000';
  // Links and accents sit on white: darken the brand colour until it reads as body text (4.5:1).
  let accent = brand;
  for (let f = 0.9; contrast(accent, PAPER) < 4.5 && f > 0; f -= 0.1) accent = hex(rgb(brand).map((c) => c * f));
  if (contrast(accent, PAPER) < 4.5) accent = INK;
  return { band: brand, onBand, accent };
}

function contactHtml(contact: string): string {
  const text = escapeHtml(contact);
  if (/^[^\s@<>"']+@[^\s@<>"']+\.[A-Za-z]{2,}$/.test(contact)) return `<a href="mailto:${text}">${text}</a>`;
  if (/^https?:\/\/[^\s<>"']+$/.test(contact)) return `<a href="${text}">${text}</a>`;
  return text;
}

function timesHtml(endIn: readonly ZonedTime[], endIso: string | undefined, overrun: boolean): string {
  if (endIn.length === 0 || !endIso) {
    return '<p class="when">We don\u2019t have a finish time yet. Please check back shortly.</p>';
  }
  const items = endIn
    .map(
      (t) =>
        `<li><span class="zone">${escapeHtml(zoneLabel(t.zone))}</span> <time datetime="${escapeHtml(endIso)}">${escapeHtml(t.text)}</time></li>`,
    )
    .join('');
  if (overrun) {
    // The end has passed and the page is still up: never promise a time that is already gone.
    return `<h2 id="back">Taking longer than planned</h2><p class="when">We expected to be back by the times below and are still working on it. Please check back shortly.</p><ul class="times" aria-labelledby="back">${items}</ul>`;
  }
  return `<h2 id="back">Expected back</h2><ul class="times" aria-labelledby="back">${items}</ul>`;
}

function css(brand: string): string {
  const p = palette(brand);
  return [
    '*,*::before,*::after{box-sizing:border-box}',
    'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
    `body{margin:0;background:#f4f5f7;color:${INK};font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}`,
    `.band{background:${p.band};color:${p.onBand};padding:1rem 1.25rem}`,
    // 37.5rem = main's 40rem less its padding, so the brand lines up with the card below.
    '.band p{margin:0 auto;max-width:37.5rem;font-weight:700;font-size:1.125rem;letter-spacing:.01em}',
    'main{display:block;margin:1.5rem auto;max-width:40rem;padding:0 1.25rem}',
    `.card{background:${PAPER};border-radius:.75rem;border-top:.375rem solid ${p.band};padding:1.5rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}`,
    'h1{font-size:clamp(1.5rem,5vw,2.25rem);line-height:1.2;margin:0 0 .75rem}',
    'h2{font-size:1rem;text-transform:uppercase;letter-spacing:.06em;color:#4a4a4a;margin:1.5rem 0 .5rem}',
    '.lead{margin:0 0 .75rem;font-size:1.0625rem}',
    `.reason{margin:0;padding:.75rem 1rem;background:#f4f5f7;border-left:.25rem solid ${p.accent};border-radius:.25rem}`,
    '.times{list-style:none;margin:0;padding:0}',
    '.times li{display:flex;flex-wrap:wrap;gap:.125rem 1rem;justify-content:space-between;padding:.5rem 0;border-bottom:1px solid #e3e5e8}',
    '.times li:last-child{border-bottom:0}',
    '.zone{color:#4a4a4a}',
    'time{font-weight:700;font-variant-numeric:tabular-nums}',
    '.when{margin:1.25rem 0 0}',
    '.more{margin:1.25rem 0 0}',
    `a{color:${p.accent};text-decoration-thickness:.08em;text-underline-offset:.15em}`,
    `a:focus-visible{outline:3px solid ${p.accent};outline-offset:2px}`,
    'footer{max-width:40rem;margin:0 auto 2rem;padding:0 1.25rem;color:#4a4a4a;font-size:.9375rem}',
    'form{margin:1rem 0 0}label{display:block;font-weight:700;margin:0 0 .25rem}',
    `input{font:inherit;width:100%;padding:.5rem .75rem;border:1px solid #767676;border-radius:.25rem}`,
    `button{font:inherit;margin-top:.75rem;padding:.5rem 1.25rem;border:0;border-radius:.25rem;background:${p.accent};color:#fff;cursor:pointer}`,
    '.error{color:#b00020;font-weight:700}',
  ].join('');
}

function shell(content: PageContent, title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)} \u00b7 ${escapeHtml(content.brandName)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${css(content.brandColour)}</style>`,
    '</head>',
    '<body>',
    `<header class="band"><p>${escapeHtml(content.brandName)}</p></header>`,
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const COPY: Record<PageKind, { title: string; heading: string; lead: (brand: string) => string }> = {
  maintenance: {
    title: 'Down for maintenance',
    heading: 'We\u2019ll be back soon',
    lead: (brand) => `${brand} is unavailable while we carry out maintenance.`,
  },
  down: {
    title: 'Down for maintenance',
    heading: 'We\u2019ll be back soon',
    lead: (brand) => `${brand} is unavailable while we carry out maintenance.`,
  },
  'read-only': {
    title: 'Changes are paused',
    heading: 'Changes are paused for a moment',
    lead: (brand) => `You can keep browsing ${brand}, but we can\u2019t save changes while we carry out maintenance. Please try again once we\u2019re done.`,
  },
};

/** The branded HTML page; `overrun` when the window's end has passed and the page is still up. */
export function renderPage(content: PageContent, kind: PageKind, overrun = false): string {
  const copy = COPY[kind];
  const parts = [
    '<main>',
    '<div class="card">',
    `<h1>${copy.heading}</h1>`,
    `<p class="lead">${escapeHtml(copy.lead(content.brandName))}</p>`,
    content.reason ? `<p class="reason">${escapeHtml(content.reason)}</p>` : '',
    timesHtml(content.endIn, content.endIso, overrun),
    content.statusUrl ? `<p class="more">Follow progress on our <a href="${escapeHtml(content.statusUrl)}">status page</a>.</p>` : '',
    content.contact ? `<p class="more">Need help? Contact ${contactHtml(content.contact)}.</p>` : '',
    '</div>',
    '</main>',
    '<footer><p>Sorry for the inconvenience, and thank you for your patience.</p></footer>',
  ];
  return shell(content, copy.title, parts.filter((p) => p !== '').join('\n'));
}

/** The JSON body for API clients. */
export function renderJson(content: PageContent, kind: PageKind, retryAfter: number | undefined, overrun = false): string {
  return JSON.stringify({
    status: kind === 'read-only' ? 'read-only' : 'maintenance',
    error: kind === 'read-only' ? 'writes are paused' : 'down for maintenance',
    message: content.reason || (kind === 'read-only' ? 'Writes are paused during maintenance.' : 'Down for maintenance.'),
    site: content.brandName,
    retryAfterSeconds: retryAfter ?? null,
    expectedBack: content.endIso ?? null,
    expectedBackIn: content.endIn.map((t) => ({ zone: t.zone, text: t.text })),
    overrun,
    statusUrl: content.statusUrl ?? null,
  });
}

/**
 * The announcement prepended to <body> of the origin's HTML pages between announce and start:
 * "Scheduled maintenance on <start> until <end>" in each zone. Inline styles only, so it needs
 * nothing from the page it lands in.
 */
export function renderBanner(content: PageContent, window: Window): string {
  const p = palette(content.brandColour);
  const ranges = window.startIn
    // One inline block per zone: on a phone each range wraps on its own, on a desktop they share lines.
    .map((s, i) => `<span style="display:inline-block;margin:0 .5em">${escapeHtml(s.text)} until ${escapeHtml(window.endIn[i]?.text ?? '')}</span>`)
    .join(' ');
  const reason = content.reason ? `${escapeHtml(content.reason)}.` : '';
  const link = content.statusUrl ? ` <a href="${escapeHtml(content.statusUrl)}" style="color:inherit;text-decoration:underline">Status page</a>` : '';
  const second = reason || link ? `<span style="display:block;margin-top:.25em">${reason}${link}</span>` : '';
  return (
    `<div id="drawbridge-announcement" role="status" style="box-sizing:border-box;width:100%;margin:0;padding:.625rem 1rem;background:${p.band};color:${p.onBand};font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;text-align:center;overflow-wrap:anywhere">` +
    `<strong>Scheduled maintenance</strong> on ${ranges}${second}</div>`
  );
}

/** The staff bypass form (GET BYPASS_PATH without a signed link), and its refusals. */
export function renderBypassPage(content: PageContent, opts: { action: string; next: string; error?: string }): string {
  const body = [
    '<main>',
    '<div class="card">',
    '<h1>Staff access</h1>',
    `<p class="lead">Enter the bypass key to use ${escapeHtml(content.brandName)} while it is closed. Your browser keeps access for a limited time.</p>`,
    opts.error ? `<p class="error" role="alert">${escapeHtml(opts.error)}</p>` : '',
    `<form method="post" action="${escapeHtml(opts.action)}">`,
    `<input type="hidden" name="next" value="${escapeHtml(opts.next)}">`,
    '<label for="token">Bypass key</label>',
    '<input id="token" name="token" type="password" autocomplete="off" required>',
    '<button type="submit">Continue</button>',
    '</form>',
    '</div>',
    '</main>',
  ];
  return shell(content, 'Staff access', body.filter((p) => p !== '').join('\n'));
}
