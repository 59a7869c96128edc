/**
 * HTML or JSON for a refused request. JSON when the Accept header ranks a JSON type above HTML;
 * HTML when it ranks HTML at least as high. When it names neither (`*\/*` or no header), a
 * script's fetch/XHR (`Sec-Fetch-Dest: empty`) gets JSON and everything else gets HTML, so curl
 * and browsers see the page and single-page apps get something they can parse.
 */

function qualities(accept: string): { html: number; json: number } {
  let html = 0;
  let json = 0;
  for (const range of accept.split(',')) {
    const [typePart, ...params] = range.split(';');
    const type = (typePart ?? '').trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, q);
    else if (type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type)) json = Math.max(json, q);
  }
  return { html, json };
}

/** Should the refusal be JSON rather than the HTML page? */
export function wantsJson(headers: Headers): boolean {
  const { html, json } = qualities(headers.get('Accept') ?? '');
  if (json > html) return true;
  if (html > 0) return false;
  return (headers.get('Sec-Fetch-Dest') ?? '').toLowerCase() === 'empty';
}
