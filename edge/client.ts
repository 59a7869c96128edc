/**
 * The two small scripts the browser runs: one on our own pages (PAGE_SCRIPT), one in the
 * announcement banner on the live site (BANNER_SCRIPT). Both only add to what the server already
 * rendered (the listed zones and absolute times stay correct without JavaScript):
 *
 * - the visitor's own time zone (Intl.DateTimeFormat().resolvedOptions().timeZone), added only
 *   when it is not already listed, formatted exactly as modes/time.ts formatInZone does;
 * - a relative time ("in about 2 hours", Intl.RelativeTimeFormat), refreshed while the page is open;
 * - in the banner, the dismiss button: dismissal is remembered in localStorage for this window only
 *   (the stored value is the window's start/end), and a blocked or full storage just means the banner
 *   comes back on the next page (the button still closes it on this one).
 *
 * They are plain ES5 strings (no build step, no modules), ASCII only and free of `</`, so their
 * bytes are the same in every bundle and inside HTML. PAGE_SCRIPT runs under our own CSP by its
 * SHA-256 (page.ts PAGE_SCRIPT_SHA256; test/edge/page.test.ts checks the two agree). Neither uses
 * innerHTML, so they also run under Trusted Types.
 */

/** Shared helpers, pasted into both scripts (each must stand alone). */
const HELPERS = String.raw`
  var NAME_LOCALES = ['en-GB', 'en-US', 'en-AU', 'en-NZ', 'en-IN'];
  function canon(zone) {
    try { return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone; } catch (e) { return ''; }
  }
  function label(zone) { return zone.split('/').pop().replace(/_/g, ' '); }
  function parts(date, zone, options) {
    var out = {};
    new Intl.DateTimeFormat(options.locale || 'en-GB', options).formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function zoneName(date, zone) {
    var fallback = '';
    for (var i = 0; i < NAME_LOCALES.length; i++) {
      var name = parts(date, zone, { locale: NAME_LOCALES[i], timeZone: zone, timeZoneName: 'short' }).timeZoneName || '';
      if (!fallback) fallback = name;
      if (name && !/^(GMT|UTC)[+\-\u2212]/.test(name)) return name;
    }
    return fallback;
  }
  function dateParts(date, zone) {
    var p = parts(date, zone, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    var n = parts(date, zone, { locale: 'en-CA', timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' });
    p.dayNumber = Date.UTC(+n.year, +n.month - 1, +n.day) / 86400000;
    return p;
  }
  function relative(ms) {
    var minutes = ms / 60000;
    if (minutes < 1) return 'in less than a minute';
    var rtf = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
    if (minutes < 45) return rtf.format(Math.round(minutes), 'minute');
    var text = minutes < 36 * 60 ? rtf.format(Math.round(minutes / 60), 'hour') : rtf.format(Math.round(minutes / 1440), 'day');
    return text.replace(/^in /, 'in about ');
  }
  function canRelative() { return typeof Intl === 'object' && typeof Intl.RelativeTimeFormat === 'function'; }
  function visitorZone() {
    try { return canon(Intl.DateTimeFormat().resolvedOptions().timeZone || ''); } catch (e) { return ''; }
  }
`;

/**
 * Our page: `ul[data-drawbridge-end]` lists the end in each zone (`li[data-zone]`); the visitor's
 * zone is appended as `li.yours`. `[data-drawbridge-relative]` (hidden until filled) gets "in about
 * 2 hours" in its `strong`.
 */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  if (typeof Intl !== 'object' || !document.querySelector) return;
  var list = document.querySelector('[data-drawbridge-end]');
  if (!list) return;
  var iso = list.getAttribute('data-drawbridge-end');
  var end = Date.parse(iso);
  if (isNaN(end)) return;
${HELPERS}
  function format(date, zone) {
    var p = dateParts(date, zone);
    return p.weekday + ' ' + p.day + ' ' + p.month + ' ' + p.year + ', ' + p.hour + ':' + p.minute + ' ' + zoneName(date, zone);
  }
  var mine = visitorZone();
  var listed = [].map.call(list.querySelectorAll('[data-zone]'), function (li) { return canon(li.getAttribute('data-zone')); });
  if (mine && listed.indexOf(mine) < 0) {
    try {
      var li = document.createElement('li');
      li.className = 'yours';
      li.setAttribute('data-zone', mine);
      var zone = document.createElement('span');
      zone.className = 'zone';
      zone.textContent = 'Your time (' + label(mine) + ')';
      var time = document.createElement('time');
      time.setAttribute('datetime', iso);
      time.textContent = format(new Date(end), mine);
      li.appendChild(zone);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(time);
      list.appendChild(li);
    } catch (e) { /* an odd runtime: the listed zones stay as they are */ }
  }
  var rel = document.querySelector('[data-drawbridge-relative]');
  var slot = rel && rel.querySelector('strong');
  if (!slot || !canRelative()) return;
  function tick() {
    var ms = end - Date.now();
    if (ms <= 0) { rel.hidden = true; return; }
    slot.textContent = relative(ms);
    rel.hidden = false;
  }
  tick();
  setInterval(tick, 30000);
})();`;

/**
 * The banner (`#drawbridge-announcement`, the script's parent): `data-window` is the window's
 * "start/end" (the dismissal key's value), `data-start` the start; the first `[data-zone]` item is
 * the zone whose date heads the banner. Times are "HH:MM", prefixed with a weekday when their date
 * is not the headline date, as page.ts compactWindow renders them.
 */
export const BANNER_SCRIPT = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  var banner = script && script.parentNode;
  if (!banner || banner.id !== 'drawbridge-announcement') banner = document.getElementById('drawbridge-announcement');
  if (!banner) return;
  var KEY = 'drawbridge-announcement-dismissed';
  var id = banner.getAttribute('data-window') || '';
  var store = null;
  try {
    store = window.localStorage;
    if (store.getItem(KEY) === id) { banner.parentNode.removeChild(banner); return; }
  } catch (e) { store = null; }
  var button = banner.querySelector('.dba-x');
  if (button) {
    button.addEventListener('click', function () {
      try { if (store) store.setItem(KEY, id); } catch (e) { /* blocked or full: closed on this page only */ }
      if (banner.parentNode) banner.parentNode.removeChild(banner);
    });
    button.hidden = false;
  }
  if (typeof Intl !== 'object') return;
  var startIso = banner.getAttribute('data-start') || '';
  var endIso = banner.getAttribute('data-end') || '';
  var start = Date.parse(startIso), end = Date.parse(endIso);
  if (isNaN(start) || isNaN(end)) return;
${HELPERS}
  var items = banner.querySelectorAll('[data-zone]');
  var first = items[0];
  var mine = visitorZone();
  var listed = [].map.call(items, function (el) { return canon(el.getAttribute('data-zone')); });
  if (first && mine && listed.indexOf(mine) < 0) {
    try {
      var head = dateParts(new Date(start), first.getAttribute('data-zone'));
      var time = function (ms, zone) {
        var p = dateParts(new Date(ms), zone);
        var diff = p.dayNumber - head.dayNumber;
        var day = diff === 0 ? '' : (Math.abs(diff) <= 6 ? p.weekday : p.weekday + ' ' + p.day + ' ' + p.month) + '\u00a0';
        return day + p.hour + ':' + p.minute;
      };
      var item = document.createElement('span');
      item.className = 'dba-t dba-you';
      item.setAttribute('data-zone', mine);
      var zone = document.createElement('span');
      zone.className = 'dba-z';
      zone.textContent = 'Your time';
      zone.title = label(mine);
      var from = document.createElement('time');
      from.setAttribute('datetime', startIso);
      from.textContent = time(start, mine);
      var to = document.createElement('time');
      to.setAttribute('datetime', endIso);
      to.textContent = time(end, mine);
      item.appendChild(zone);
      item.appendChild(document.createTextNode('\u00a0'));
      item.appendChild(from);
      item.appendChild(document.createTextNode('\u2013'));
      item.appendChild(to);
      var sep = document.createElement('span');
      sep.className = 'dba-sep';
      sep.setAttribute('aria-hidden', 'true');
      sep.textContent = ' \u00b7 ';
      var last = items[items.length - 1];
      last.parentNode.insertBefore(item, last.nextSibling);
      last.parentNode.insertBefore(sep, item);
    } catch (e) { /* the listed zones stay as they are */ }
  }
  var rels = banner.querySelectorAll('.dba-rel');
  if (!rels.length || !canRelative()) return;
  function tick() {
    var ms = start - Date.now();
    for (var i = 0; i < rels.length; i++) {
      var slot = rels[i].querySelector('[data-rel]');
      if (!slot || ms <= 0) { rels[i].hidden = true; continue; }
      var text = relative(ms);
      slot.textContent = slot.hasAttribute('data-capital') ? text.charAt(0).toUpperCase() + text.slice(1) : text;
      rels[i].hidden = false;
    }
  }
  tick();
  setInterval(tick, 60000);
})();`;
