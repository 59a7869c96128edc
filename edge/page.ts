/**
 * What people and API clients see while the site is closed: one branded HTML page and one JSON
 * body, used by the gate Worker and by the static down page, plus the announcement banner and the
 * staff bypass form. Pure string building: no runtime APIs, so the build script renders the very
 * same page into the Pages output.
 *
 * The page makes no external requests (inline CSS, data: favicon, no fonts; one inline script
 * allowed by its hash) and is served with a Content-Security-Policy that forbids them, so it renders
 * when everything else is down. It follows the visitor's light or dark preference
 * (prefers-color-scheme), with colours derived from the brand colour that keep WCAG AA contrast in
 * both. Without JavaScript it shows everything that matters (the listed zones, absolute times);
 * the script only adds the visitor's own zone and "in about 2 hours" (client.ts).
 */
import { localParts, type LocalParts, type ZonedTime } from '../modes/time';
import type { PageContent, Window } from './config';
import { BANNER_SCRIPT, PAGE_SCRIPT } from './client';
import { inlineAllowance, type InlineAllowance } from './csp';

/** maintenance: the gate in maintenance. read-only: a write refused during a cutover. down: the static down page. */
export type PageKind = 'maintenance' | 'read-only' | 'down';

/** Base64 SHA-256 of PAGE_SCRIPT, for the CSP (test/edge/page.test.ts recomputes it). */
export const PAGE_SCRIPT_SHA256 = 'fe1XiZWoGo3o3MV24ng03tvPGlxEXrUXnylo4xn/ErE=';

/**
 * Served by the gate for its pages and by the down page: inline CSS, and no script but the page's
 * own, named by its hash (no 'unsafe-inline' for scripts).
 */
export const PAGE_CSP = `default-src 'none'; script-src 'sha256-${PAGE_SCRIPT_SHA256}'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

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

/** `a` moved a fraction `t` (0..1) of the way to `b`. */
function mix(a: string, b: string, t: number): string {
  const [x, y] = [rgb(a), rgb(b)];
  return hex(x.map((c, i) => c + ((y[i] ?? 0) - c) * t));
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

export type Scheme = 'light' | 'dark';

/** The neutral colours of each scheme; text colours on them keep at least 4.5:1 (units test). */
export const SURFACES: Record<Scheme, { readonly bg: string; readonly paper: string; readonly ink: string; readonly muted: string; readonly rule: string; readonly inset: string; readonly border: string; readonly error: string }> = {
  light: { bg: '#f4f5f7', paper: '#ffffff', ink: '#1a1a1a', muted: '#4a4a4a', rule: '#e3e5e8', inset: '#f4f5f7', border: '#767676', error: '#b00020' },
  dark: { bg: '#121417', paper: '#1e2126', ink: '#e8eaed', muted: '#b4b9c0', rule: '#353a41', inset: '#272b31', border: '#8a9099', error: '#ff8a80' },
};

/** Black or white, whichever reads better on `colour` (at least sqrt(21) = 4.58:1 either way). */
function textOn(colour: string): string {
  return contrast('#ffffff', colour) >= contrast('#000000', colour) ? '#ffffff' : '#000000';
}

/**
 * Colours derived from the brand colour that keep WCAG AA contrast whatever the brand is.
 * band: the brand strip (the brand itself in light; dimmed towards the dark background in dark, so
 * a bright brand does not glare); onBand: its text; accent: links and the button on the card
 * (darkened in light, lightened in dark, until it reads as body text at 4.5:1); onAccent: button text.
 */
export function palette(brand: string, scheme: Scheme = 'light'): { band: string; onBand: string; accent: string; onAccent: string } {
  const paper = SURFACES[scheme].paper;
  const band = scheme === 'light' ? brand : mix(brand, SURFACES.dark.bg, 0.3);
  let accent = brand;
  if (scheme === 'light') {
    for (let f = 0.9; contrast(accent, paper) < 4.5 && f > 0; f -= 0.1) accent = hex(rgb(brand).map((c) => c * f));
  } else {
    for (let t = 0.1; contrast(accent, paper) < 4.5 && t <= 1; t += 0.1) accent = mix(brand, '#ffffff', t);
  }
  if (contrast(accent, paper) < 4.5) accent = SURFACES[scheme].ink;
  return { band, onBand: textOn(band), accent, onAccent: textOn(accent) };
}

function contactHtml(contact: string): string {
  const text = escapeHtml(contact);
  if (/^[^\s@<>"']+@[^\s@<>"']+\.[A-Za-z]{2,}$/.test(contact)) return `<a href="mailto:${text}">${text}</a>`;
  if (/^https?:\/\/[^\s<>"']+$/.test(contact)) return `<a href="${text}">${text}</a>`;
  return text;
}

/** The wording that differs between "the site is closed" and "the site is up, writes are paused". */
const WHEN: Record<'closed' | 'paused', { heading: string; late: string; unknown: string }> = {
  closed: {
    heading: 'Expected back',
    late: 'We expected to be back by the times below and are still working on it. Please check back shortly.',
    unknown: 'We don\u2019t have a finish time yet. Please check back shortly.',
  },
  paused: {
    heading: 'Changes resume',
    late: 'We expected changes to resume by the times below and are still working on it. Please try again shortly.',
    unknown: 'We don\u2019t have a time yet for when changes resume. Please try again shortly.',
  },
};

function timesHtml(endIn: readonly ZonedTime[], endIso: string | undefined, overrun: boolean, words: (typeof WHEN)['closed']): string {
  if (endIn.length === 0 || !endIso) return `<p class="when">${words.unknown}</p>`;
  const iso = escapeHtml(endIso);
  const items = endIn
    .map((t) => `<li data-zone="${escapeHtml(t.zone)}"><span class="zone">${escapeHtml(zoneLabel(t.zone))}</span> <time datetime="${iso}">${escapeHtml(t.text)}</time></li>`)
    .join('');
  if (overrun) {
    // The end has passed and the page is still up: never promise a time that is already gone.
    return `<h2 id="back">Taking longer than planned</h2><p class="when">${words.late}</p><ul class="times" aria-labelledby="back">${items}</ul>`;
  }
  // data-drawbridge-end: the script adds the visitor's zone and the relative time (hidden until then).
  return (
    `<h2 id="back">${words.heading}</h2><ul class="times" aria-labelledby="back" data-drawbridge-end="${iso}">${items}</ul>` +
    '<p class="relative" data-drawbridge-relative hidden>That\u2019s <strong></strong>.</p>'
  );
}

function vars(scheme: Scheme, brand: string): string {
  const s = SURFACES[scheme];
  const p = palette(brand, scheme);
  return (
    `--bg:${s.bg};--paper:${s.paper};--ink:${s.ink};--muted:${s.muted};--rule:${s.rule};--inset:${s.inset};--border:${s.border};--error:${s.error};` +
    `--band:${p.band};--on-band:${p.onBand};--accent:${p.accent};--on-accent:${p.onAccent}`
  );
}

function css(brand: string): string {
  return [
    `:root{color-scheme:light dark;${vars('light', brand)}}`,
    `@media (prefers-color-scheme:dark){:root{${vars('dark', brand)}}.card{box-shadow:none;border-left:1px solid var(--rule);border-right:1px solid var(--rule);border-bottom:1px solid var(--rule)}.band{border-bottom:1px solid var(--rule)}}`,
    '*,*::before,*::after{box-sizing:border-box}',
    'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
    'body{margin:0;background:var(--bg);color:var(--ink);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}',
    '.band{background:var(--band);color:var(--on-band);padding:1rem 1.25rem}',
    // 37.5rem = main's 40rem less its padding, so the brand lines up with the card below.
    '.band p{margin:0 auto;max-width:37.5rem;font-weight:700;font-size:1.125rem;letter-spacing:.01em}',
    'main{display:block;margin:1.5rem auto;max-width:40rem;padding:0 1.25rem}',
    '.card{background:var(--paper);border-radius:.75rem;border-top:.375rem solid var(--band);padding:1.5rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}',
    'h1{font-size:clamp(1.5rem,5vw,2.25rem);line-height:1.2;margin:0 0 .75rem}',
    'h2{font-size:1rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:1.5rem 0 .5rem}',
    '.lead{margin:0 0 .75rem;font-size:1.0625rem}',
    '.reason{margin:0;padding:.75rem 1rem;background:var(--inset);border-left:.25rem solid var(--accent);border-radius:.25rem}',
    '.times{list-style:none;margin:0;padding:0}',
    '.times li{display:flex;flex-wrap:wrap;gap:.125rem 1rem;justify-content:space-between;padding:.5rem 0;border-bottom:1px solid var(--rule)}',
    '.times li:last-child{border-bottom:0}',
    '.zone{color:var(--muted)}',
    'time{font-weight:700;font-variant-numeric:tabular-nums;white-space:nowrap}',
    '.relative{margin:.5rem 0 0;color:var(--muted)}.relative strong{color:var(--ink)}',
    '[hidden]{display:none!important}',
    '.when{margin:1.25rem 0 0}',
    '.more{margin:1.25rem 0 0}',
    'a{color:var(--accent);text-decoration-thickness:.08em;text-underline-offset:.15em}',
    'a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}',
    '.go{display:inline-block;padding:.625rem 1.25rem;border-radius:.25rem;background:var(--accent);color:var(--on-accent);font-weight:700;text-decoration:none}',
    'footer{max-width:40rem;margin:0 auto 2rem;padding:0 1.25rem;color:var(--muted);font-size:.9375rem}',
    'form{margin:1rem 0 0}label{display:block;font-weight:700;margin:0 0 .25rem}',
    'input{font:inherit;width:100%;padding:.5rem .75rem;border:1px solid var(--border);border-radius:.25rem;background:var(--paper);color:var(--ink)}',
    'button{font:inherit;margin-top:.75rem;padding:.5rem 1.25rem;border:0;border-radius:.25rem;background:var(--accent);color:var(--on-accent);cursor:pointer}',
    '.error{color:var(--error);font-weight:700}',
  ].join('');
}

function shell(content: PageContent, title: string, body: string, script: boolean): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(title)} \u00b7 ${escapeHtml(content.brandName)}</title>`,
    '<link rel="icon" href="data:,">',
    `<style>${css(content.brandColour)}</style>`,
    '</head>',
    '<body>',
    `<header class="band"><p>${escapeHtml(content.brandName)}</p></header>`,
    body,
    script ? `<script>${PAGE_SCRIPT}</script>` : '',
    '</body>',
    '</html>',
    '',
  ]
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join('\n');
}

const COPY: Record<PageKind, { title: string; heading: string; lead: (brand: string, content: PageContent, overrun: boolean) => string }> = {
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
    // The site is up: say what still works, and never "expected back".
    lead: (brand, content, overrun) => {
      const until =
        content.endIn.length === 0 || !content.endIso ? 'for a short while' : overrun ? 'a little longer than planned' : content.endIn.length === 1 ? 'until the time below' : 'until the times below';
      return `You can keep browsing ${brand}; changes are paused ${until} while we carry out maintenance, so what you just sent was not saved.`;
    },
  },
};

export interface PageOptions {
  /**
   * read-only: where "keep browsing" leads, a same-origin path (respond.ts backPath takes it from
   * the Referer). '/' (the default) is the home page.
   */
  readonly back?: string;
}

/** A same-origin path ('/...', not '//' or '/\'), else '/': the back link never leaves the site. */
export function sameOriginPath(path: string | undefined): string {
  return path && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') && !/[\x00-\x20\x7f]/.test(path) ? path : '/';
}

/** The branded HTML page; `overrun` when the window's end has passed and the page is still up. */
export function renderPage(content: PageContent, kind: PageKind, overrun = false, opts: PageOptions = {}): string {
  const copy = COPY[kind];
  const paused = kind === 'read-only';
  const back = sameOriginPath(opts.back);
  const parts = [
    '<main>',
    '<div class="card">',
    `<h1>${copy.heading}</h1>`,
    `<p class="lead">${escapeHtml(copy.lead(content.brandName, content, overrun))}</p>`,
    content.reason ? `<p class="reason">${escapeHtml(content.reason)}</p>` : '',
    timesHtml(content.endIn, content.endIso, overrun, WHEN[paused ? 'paused' : 'closed']),
    paused ? `<p class="more"><a class="go" href="${escapeHtml(back)}">${back === '/' ? 'Go to the home page' : 'Keep browsing'}</a></p>` : '',
    content.statusUrl ? `<p class="more">Follow progress on our <a href="${escapeHtml(content.statusUrl)}">status page</a>.</p>` : '',
    content.contact ? `<p class="more">Need help? Contact ${contactHtml(content.contact)}.</p>` : '',
    '</div>',
    '</main>',
    `<footer><p>${paused ? 'Thank you for your patience.' : 'Sorry for the inconvenience, and thank you for your patience.'}</p></footer>`,
  ];
  return shell(content, copy.title, parts.filter((p) => p !== '').join('\n'), true);
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

// ---- The announcement banner ------------------------------------------------------------------

/** The banner's element id; every one of its CSS selectors starts with it. */
export const BANNER_ID = 'drawbridge-announcement';

/** "22:00", or "Sun 00:30" when the date is not the headline's, or "Mon 27 Jan 06:00" a week or more away. */
function compactTime(ms: number, zone: string, head: LocalParts): string {
  const p = localParts(ms, zone);
  const diff = p.dayNumber - head.dayNumber;
  const day = diff === 0 ? '' : `${Math.abs(diff) <= 6 ? p.weekday : `${p.weekday} ${p.day} ${p.month}`}\u00a0`;
  return `${day}${p.hm}`;
}

/**
 * The window in one line per zone, for the banner: one headline date (the start's, in the first
 * listed zone; the year only when it is not the announcement's) and "City HH:MM–HH:MM" per zone.
 */
export function compactWindow(window: Window): { date: string; ranges: { zone: string; label: string; from: string; to: string }[] } {
  const zones = window.startIn.map((t) => t.zone);
  const first = zones[0] ?? 'UTC';
  const head = localParts(window.startMs, first);
  const year = localParts(window.announceMs, first).year === head.year ? '' : ` ${head.year}`;
  return {
    date: `${head.weekday} ${head.day} ${head.month}${year}`,
    ranges: zones.map((zone) => ({ zone, label: zoneLabel(zone), from: compactTime(window.startMs, zone, head), to: compactTime(window.endMs, zone, head) })),
  };
}

function bannerCss(brand: string): string {
  const id = `#${BANNER_ID}`;
  const light = palette(brand, 'light');
  const dark = palette(brand, 'dark');
  return [
    // The host page's CSS stops here: every property back to the browser's defaults, then ours.
    `${id},${id} *{all:revert;box-sizing:border-box}`,
    `${id}{display:flex;flex-wrap:wrap;align-items:baseline;column-gap:14px;row-gap:2px;position:relative;width:100%;margin:0;padding:8px 56px 8px 16px;background:${light.band};color:${light.onBand};font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;text-align:left;overflow-wrap:normal}`,
    `${id} p{margin:0;padding:0;font:inherit;color:inherit}`,
    `${id} strong{font-weight:700}`,
    `${id} .dba-t,${id} time,${id} .dba-date,${id} .dba-rel{white-space:nowrap}`,
    `${id} time{font-variant-numeric:tabular-nums}`,
    `${id} a{color:inherit;text-decoration:underline;text-underline-offset:.15em}`,
    `${id} .dba-x{position:absolute;top:4px;right:8px;width:36px;height:36px;margin:0;padding:0;border:0;border-radius:6px;background:transparent;color:inherit;font:700 22px/36px system-ui,sans-serif;text-align:center;cursor:pointer}`,
    `${id} .dba-x:hover{background:rgba(127,127,127,.25)}`,
    `${id} a:focus-visible,${id} .dba-x:focus-visible{outline:3px solid currentColor;outline-offset:1px}`,
    `${id} .dba-rel-narrow{display:none}`,
    `${id} [hidden]{display:none!important}`,
    // A phone: smaller type and padding, text flowing under the dismiss button (a float keeps its
    // corner free), and one last line: the relative time, the status link, the reason cut to fit.
    `@media (max-width:480px){${id}{display:block;font-size:13px;line-height:1.28;padding:5px 8px 5px 12px}` +
      `${id}::before{content:"";float:right;width:38px;height:28px}` +
      `${id} .dba-x{top:0;right:2px}` +
      `${id} .dba-rel-wide{display:none}` +
      `${id} .dba-more{display:flex;column-gap:.5em;white-space:nowrap}` +
      `${id} .dba-rel-narrow{display:inline;order:0}${id} .dba-more a{order:1}` +
      `${id} .dba-reason{order:2;min-width:0;overflow:hidden;text-overflow:ellipsis}}`,
    `@media (prefers-color-scheme:dark){${id}{background:${dark.band};color:${dark.onBand};box-shadow:inset 0 -1px rgba(255,255,255,.18)}}`,
  ].join('');
}

/** How the banner's inline <style> and <script> may go into the host page (csp.ts inlineAllowance). */
export interface BannerInline {
  readonly style: InlineAllowance;
  readonly script: InlineAllowance;
}

const nonceAttr = (a: InlineAllowance): string => (a && a.nonce ? ` nonce="${escapeHtml(a.nonce)}"` : '');

/**
 * The announcement prepended to <body> of the origin's HTML pages between announce and start:
 * "Scheduled maintenance <date>" and "City HH:MM–HH:MM" per zone, the reason and the status link,
 * and a dismiss button. Scoped: one element with a unique id, every CSS selector under it, the
 * host page's styles reset inside it, no globals from its script. `data-nosnippet` keeps it out of
 * search snippets. `inline` says whether the host page's CSP lets the <style> and <script> in
 * (and with which nonce); left out, the banner still reads, and without its script it has no
 * dismiss button (the button is `hidden` until the script shows it).
 */
export function renderBanner(content: PageContent, window: Window, inline: BannerInline = { style: {}, script: {} }): string {
  const { date, ranges } = compactWindow(window);
  const startIso = new Date(window.startMs).toISOString();
  const endIso = new Date(window.endMs).toISOString();
  const times = ranges
    .map(
      (r) =>
        `<span class="dba-t" data-zone="${escapeHtml(r.zone)}"><span class="dba-z">${escapeHtml(r.label)}</span>\u00a0<time datetime="${startIso}">${escapeHtml(r.from)}</time>\u2013<time datetime="${endIso}">${escapeHtml(r.to)}</time></span>`,
    )
    .join('<span class="dba-sep" aria-hidden="true"> \u00b7 </span>');
  const reason = content.reason ? `<span class="dba-reason">${escapeHtml(content.reason)}.</span>` : '';
  const link = content.statusUrl ? `<a href="${escapeHtml(content.statusUrl)}">Status page</a>` : '';
  return [
    `<div id="${BANNER_ID}" data-nosnippet role="region" aria-label="Scheduled maintenance" lang="en" data-window="${startIso}/${endIso}" data-start="${startIso}" data-end="${endIso}">`,
    inline.style ? `<style${nonceAttr(inline.style)}>${bannerCss(content.brandColour)}</style>` : '',
    // The relative time has two places (beside the date; on a phone, first on the last line): the
    // script fills both, the stylesheet shows one.
    `<p class="dba-head"><strong>Scheduled maintenance</strong> <span class="dba-date">${escapeHtml(date)}</span><span class="dba-rel dba-rel-wide" hidden>, <span data-rel></span></span></p>`,
    `<p class="dba-times">${times}</p>`,
    `<p class="dba-more"><span class="dba-rel dba-rel-narrow" hidden><span data-rel data-capital></span>.</span> ${reason}${reason && link ? ' ' : ''}${link}</p>`,
    inline.script ? '<button type="button" class="dba-x" aria-label="Dismiss the maintenance announcement" title="Dismiss" hidden>\u00d7</button>' : '',
    inline.script ? `<script${nonceAttr(inline.script)}>${BANNER_SCRIPT}</script>` : '',
    '</div>',
  ].join('');
}

/**
 * The banner for a window, per host-page CSP: `policies` are the page's enforced policies (header
 * and <meta http-equiv>); the usual case, no CSP or one allowing inline code, is rendered once.
 */
export function bannerFor(content: PageContent, window: Window): (policies: readonly string[]) => string {
  const plain = renderBanner(content, window);
  return (policies) => {
    if (policies.length === 0) return plain;
    const inline = { style: inlineAllowance(policies, 'style'), script: inlineAllowance(policies, 'script') };
    const asIs = (a: InlineAllowance) => a !== false && a.nonce === undefined;
    return asIs(inline.style) && asIs(inline.script) ? plain : renderBanner(content, window, inline);
  };
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
  return shell(content, 'Staff access', body.filter((p) => p !== '').join('\n'), false);
}
