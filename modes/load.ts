/**
 * Reading an estate file: file -> UTF-8 text -> one YAML document -> schema -> Estate, with every
 * problem reported as `file:line: path: what is wrong (got value, as typed); what is allowed`.
 * Only a regular file is opened and only MAX_ESTATE_BYTES are read; the file system's errors
 * (ENOENT, ELOOP, EACCES, ...) and what the YAML library would choke on (other encodings, several
 * documents, deep nesting, alias bombs) are DrawbridgeErrors like any other mistake.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Composer, isMap, isScalar, LineCounter, Parser, visit, type CST, type Document } from 'yaml';
import type { z } from 'zod';
import { DrawbridgeError, show } from './errors';
import { formatPath } from './path';
import { EstateSchema, type Estate } from './schema';

/** Estate files are small; anything bigger is a mistake (a log, a dump), not an estate. */
export const MAX_ESTATE_BYTES = 1024 * 1024;

type Path = readonly PropertyKey[];
type Token = CST.Token;
export { formatPath };

function lineOf(doc: Document, counter: LineCounter, path: Path): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The zod schema at `path`, to name the keys an object allows. */
function schemaAt(schema: z.ZodType, path: Path): z.ZodType | undefined {
  let current: unknown = schema;
  const unwrap = (s: unknown): unknown => {
    let x = s as { _zod?: { def: Record<string, unknown> } };
    for (let i = 0; i < 10 && x?._zod; i++) {
      const def = x._zod.def;
      if (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault') x = def.innerType as typeof x;
      else if (def.type === 'pipe') x = def.in as typeof x;
      else break;
    }
    return x;
  };
  type Def = { _zod: { def: Record<string, unknown> } };
  for (const part of path) {
    let def = (unwrap(current) as Def)._zod.def;
    // A union (aws.beanstalk: one application or a list): the option that has this kind of step.
    if (def.type === 'union') {
      const fits = (def.options as unknown[]).map((o) => (unwrap(o) as Def)._zod.def).find((d) => (typeof part === 'number' ? d.type === 'array' : d.type === 'object' && part in (d.shape as object)));
      if (!fits) return undefined;
      def = fits;
    }
    if (def.type === 'object' && typeof part === 'string') current = (def.shape as Record<string, unknown>)[part];
    else if (def.type === 'array' && typeof part === 'number') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
    if (!current) return undefined;
  }
  const last = unwrap(current) as Def;
  const options = last._zod.def.type === 'union' ? (last._zod.def.options as unknown[]).map(unwrap) as Def[] : [last];
  const objects = options.filter((o) => o._zod.def.type === 'object');
  return (objects.length === 1 ? objects[0]! : last) as unknown as z.ZodType;
}

function allowedKeys(path: Path): string[] {
  const s = schemaAt(EstateSchema, path) as unknown as { _zod?: { def: { type: string; shape?: Record<string, unknown> } } } | undefined;
  const def = s?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** A value at a path, shown as the user typed it where the YAML text is known. */
type Typed = (path: Path, input: unknown) => string;

/** "(a number; quote it: "16.10")" when a plain YAML scalar that is not text stands where text belongs. */
function quoteHint(typed: Typed, path: Path, input: unknown): string {
  if (typeof input !== 'number' && typeof input !== 'boolean') return '';
  const text = typed(path, input);
  return ` (${typeof input === 'number' ? 'a number' : 'a boolean'}; quote it: ${JSON.stringify(text)})`;
}

/**
 * How a value reads in the file: a plain scalar that YAML turned into something else (`16.10` into
 * 16.1, `012345678901` into 12345678901, `.inf` into Infinity) is echoed as typed.
 */
function typedIn(doc: Document | undefined): Typed {
  return (path, input) => {
    if (!doc || (input !== null && typeof input !== 'number' && typeof input !== 'boolean')) return show(input);
    const node = doc.getIn(path as unknown[], true);
    const source = isScalar(node) ? (node as { source?: unknown }).source : undefined;
    if (typeof source !== 'string' || source.trim() === '' || (node as { type?: string }).type !== 'PLAIN') return show(input);
    return source.length > 80 ? `${source.slice(0, 77)}...` : source;
  };
}

function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }, typed: Typed = (_p, v) => show(v)): { path: Path; text: string } {
  const path = issue.path;
  const got = typed(path, issue.input);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path);
      return {
        path: [...path, issue.keys[0]],
        text: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}`,
      };
    }
    case 'invalid_type':
      if (issue.input === undefined) return { path, text: `required (expected ${issue.expected}), but missing` };
      if (issue.expected === 'number' && typeof issue.input === 'number' && !Number.isFinite(issue.input)) return { path, text: `expected ${issue.expected}, got ${got}; allowed: a finite number` };
      return { path, text: `expected ${issue.expected}, got ${got}${issue.expected === 'string' ? quoteHint(typed, path, issue.input) : ''}` };
    case 'invalid_value':
      return { path, text: `${got} is not allowed; allowed: ${issue.values.map((v) => String(v)).join(', ')}` };
    case 'invalid_format':
      if (issue.format === 'datetime') return { path, text: `${got} is not an ISO-8601 date-time with offset (e.g. 2030-01-19T22:00:00Z)` };
      return { path, text: `${got} ${issue.message}` };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
      const exclusive = (issue as { inclusive?: boolean }).inclusive === false;
      const limit = `${small ? (exclusive ? 'more than' : 'at least') : exclusive ? 'less than' : 'at most'} ${bound}`;
      const origin = (issue as { origin?: string }).origin;
      const what = origin === 'array' ? `must have ${limit} item${Number(bound) === 1 ? '' : 's'}` : origin === 'string' ? `must be ${limit} characters long` : `must be ${limit}`;
      return { path, text: `${got}: ${what}` };
    }
    case 'invalid_union': {
      // A union may name its own forms (its `error`); zod's default message says nothing.
      const hint = issue.message && issue.message !== 'Invalid input' ? issue.message : unionHint(path);
      if (issue.input === undefined) return { path, text: `required, but missing; ${hint}` };
      return { path, text: `${got} matches none of the allowed forms; ${hint}` };
    }
    case 'custom':
      // Cross-field rules (superRefine) name the values in their own message; zod's `input` there
      // is the whole estate.
      return { path, text: issue.message };
    default:
      return { path, text: `${issue.message}${issue.input === undefined ? '' : ` (got ${got})`}` };
  }
}

function unionHint(path: Path): string {
  const last = path[path.length - 1];
  if (last === 'target') return 'use one of {value: ...}, {loadBalancer: true}, {beanstalk: true}';
  return 'see schema/estate.schema.json';
}

/** Validates parsed data (already YAML-decoded) and returns the Estate or throws every problem. */
export function parseEstate(data: unknown, source = 'estate', doc?: Document, counter?: LineCounter): Estate {
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    throw new DrawbridgeError(`${source}: an estate must be a YAML mapping (name, site, brand, ...); got ${data === null || data === undefined ? 'an empty file' : show(data)}`);
  }
  const result = EstateSchema.safeParse(data, { reportInput: true });
  if (result.success) {
    if (doc && counter) sources.set(result.data, { doc, counter });
    return result.data;
  }
  const typed = typedIn(doc);
  const problems = result.error.issues.map((issue) => {
    const { path, text } = describeIssue(issue as z.core.$ZodIssue & { input?: unknown }, typed);
    const line = doc && counter ? lineOf(doc, counter, path) : undefined;
    return `${source}${line ? `:${line}` : ''}: ${formatPath(path)}: ${text}`;
  });
  throw new DrawbridgeError([...new Set(problems)]);
}


/** Deeper than this, lists and mappings inside each other are a generated or hostile file: an estate nests a few levels. */
export const MAX_ESTATE_DEPTH = 64;

/** Alias uses the YAML library expands before it refuses the file (its `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;

/** The 1-based line of byte or character `offset` in `text`. */
function lineAt(text: string | Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if ((typeof text === 'string' ? text.charCodeAt(i) : text[i]) === 10) line++;
  return line;
}

/**
 * A quick look at flow brackets (`[`, `{`) outside quotes and comments: where a file nests them far
 * beyond any estate, so a hostile file is refused before the YAML parser spends seconds on it.
 */
function bracketFlood(text: string, limit: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n' && quote === '#') quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) quote = '#';
    else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

type CstToken = { type: string; offset: number; items?: { key?: CstToken | null; value?: CstToken | null }[]; value?: CstToken; start?: CstToken[] | CstToken };

/** The offset where the YAML tree first nests deeper than `limit`, walked without recursion. */
function tooDeep(doc: CstToken, limit: number): number | undefined {
  const stack: [CstToken, number][] = [[doc, 0]];
  while (stack.length) {
    const [token, depth] = stack.pop()!;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
      continue;
    }
    if (!token.items) continue;
    if (depth + 1 > limit) return token.offset;
    for (const item of token.items) {
      if (item.key && typeof item.key === 'object') stack.push([item.key, depth + 1]);
      if (item.value && typeof item.value === 'object') stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

const deepMessage = (source: string, line: number) =>
  `${source}:${line}: lists and mappings nest more than ${MAX_ESTATE_DEPTH} levels deep here; an estate nests a handful of levels, so this is not an estate file`;

/**
 * The YAML syntax tree of `text`, after the checks the library leaves to us: one document, a sane
 * depth (its composer recurses, so a deep file would overflow the stack there).
 */
function yamlTokens(text: string, source: string, counter: LineCounter): Token[] {
  const flood = bracketFlood(text, 10 * MAX_ESTATE_DEPTH);
  if (flood !== undefined) throw new DrawbridgeError(deepMessage(source, lineAt(text, flood)));
  const tokens = [...new Parser(counter.addNewLine).parse(text)];
  const documents = tokens.filter((t) => t.type === 'document') as unknown as CstToken[];
  if (documents.length > 1) {
    const second = documents[1]!;
    const marker = Array.isArray(second.start) ? second.start.find((t) => t.type === 'doc-start') : undefined;
    const line = lineAt(text, (marker ?? second).offset);
    throw new DrawbridgeError(
      `${source}: holds ${documents.length} YAML documents (${marker ? `--- at line ${line}` : `the second starts at line ${line}`}); an estate is one document: remove the --- line or split the file`,
    );
  }
  for (const d of documents) {
    const at = tooDeep(d, MAX_ESTATE_DEPTH);
    if (at !== undefined) throw new DrawbridgeError(deepMessage(source, lineAt(text, at)));
  }
  return tokens;
}

/** Parses YAML text into an Estate; `source` names the file in messages. */
export function parseEstateText(text: string, source = 'estate'): Estate {
  if (text.includes('\u0000')) throw new DrawbridgeError(`${source}: is a binary file, not a YAML estate`);
  if (text.trim() === '') throw new DrawbridgeError(`${source}: is empty; an estate needs at least name, site and brand`);
  const counter = new LineCounter();
  const tokens = yamlTokens(text, source, counter);
  const doc = [...new Composer({ uniqueKeys: true }).compose(tokens, true, text.length)][0]!;
  if (doc.errors.length > 0) {
    // The first syntax error is the real one; the parser's later ones are its consequences.
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? counter.linePos(err.pos[0]).line;
    throw new DrawbridgeError(`${source}${line ? `:${line}` : ''}: YAML syntax error: ${err.message.split('\n')[0]}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    let first: number | undefined;
    visit(doc, {
      Alias(_key, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const line = first === undefined ? undefined : counter.linePos(first).line;
    if (/alias count/i.test(e.message)) {
      throw new DrawbridgeError(
        `${source}${line ? `:${line}` : ''}: its YAML aliases (*name) expand past the limit of ${MAX_ALIAS_COUNT} (maxAliasCount), as in a "billion laughs" file; write the values out, or use an alias only for a small value used a few times`,
      );
    }
    // An alias to an anchor that is not defined (before it), or one that refers to itself.
    throw new DrawbridgeError(`${source}${line ? `:${line}` : ''}: YAML alias error: ${e.message.split('\n')[0]}`);
  }
  return parseEstate(data, source, doc, counter);
}

/** Where each parsed estate came from, for messages about it after it was loaded (e.g. its state). */
const sources = new WeakMap<object, { doc: Document; counter: LineCounter }>();

/** The line of `path`'s key (the `state:` line for ['state']) in the file `estate` was read from, if known. */
export function lineIn(estate: object, path: readonly (string | number)[]): number | undefined {
  const src = sources.get(estate);
  if (!src) return undefined;
  const parent = path.length > 1 ? src.doc.getIn(path.slice(0, -1), true) : src.doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === path[path.length - 1]);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return src.counter.linePos(range[0]).line;
  }
  return undefined;
}

/** What kind of thing a non-regular file is, for a message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The refusal for something that is not a regular file (a directory, a pipe, a device), before it is opened. */
function notAFile(stats: Stats, file: string, name: string): DrawbridgeError {
  if (stats.isDirectory()) {
    let yaml: string[] = [];
    try {
      yaml = readdirSync(file).filter((f) => /\.ya?ml$/.test(f)).sort();
    } catch {
      // an unreadable directory: no example to offer
    }
    const example = yaml.includes('default.yaml') ? 'default.yaml' : yaml[0];
    const dir = name.replace(/\/+$/, '');
    return new DrawbridgeError(`${name}: is a directory, not an estate file; pass a YAML file${example ? ` such as ${dir}/${example}` : ' (for example estates/default.yaml)'}`);
  }
  return new DrawbridgeError(`${name}: is ${kindOf(stats)}, not an estate file; an estate is a regular YAML file of at most ${MAX_ESTATE_BYTES} bytes`);
}

/** An error from the file system (stat, open, read) as the user's mistake it is: the file, what is wrong, what to do. */
export function fileProblem(error: unknown, name: string): DrawbridgeError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const quoted = show(name);
  switch (code) {
    case 'ENOENT':
      return new DrawbridgeError(`estate file ${quoted} not found; pass an existing YAML file (for example estates/default.yaml)`);
    case 'ENOTDIR':
      return new DrawbridgeError(`estate file ${quoted} not found: part of its path is a file, not a directory; pass an existing YAML file (for example estates/default.yaml)`);
    case 'ELOOP':
      return new DrawbridgeError(`estate file ${quoted} is a symlink loop (its links lead back to themselves); point the link at a YAML file, or pass the file itself`);
    case 'EACCES':
    case 'EPERM':
      return new DrawbridgeError(`estate file ${quoted} cannot be read: permission denied (${code}); make it readable (chmod u+r), or run as a user who can read it`);
    case 'EISDIR':
      return new DrawbridgeError(`${name}: is a directory, not an estate file; pass a YAML file (for example estates/default.yaml)`);
    case 'ENAMETOOLONG':
      return new DrawbridgeError(`estate file ${quoted}: the name is too long for the file system; pass an existing YAML file (for example estates/default.yaml)`);
    default: {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      return new DrawbridgeError(`estate file ${quoted} cannot be read (${why}); pass a readable YAML file`);
    }
  }
}

/**
 * The bytes of an estate file, at most MAX_ESTATE_BYTES. Only a regular file is opened (a
 * directory, a FIFO with no writer, /dev/zero are refused from stat alone), without blocking, and
 * read up to the cap, so nothing can hang or grow without bound.
 */
export function readEstateBytes(file: string, name = file): Buffer {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (e) {
    throw fileProblem(e, name);
  }
  if (!stats.isFile()) throw notAFile(stats, file, name);
  if (stats.size > MAX_ESTATE_BYTES) throw tooBig(stats.size, name);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw fileProblem(e, name);
  }
  try {
    // The file may have been swapped since stat: check what was opened.
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw notAFile(opened, file, name);
    const buffer = Buffer.alloc(MAX_ESTATE_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_ESTATE_BYTES) throw tooBig(Math.max(opened.size, length), name, length <= opened.size ? '' : 'more than ');
    }
    return buffer.subarray(0, length);
  } catch (e) {
    throw e instanceof DrawbridgeError ? e : fileProblem(e, name);
  } finally {
    closeSync(fd);
  }
}

const tooBig = (size: number, name: string, more = '') => new DrawbridgeError(`${name}: is ${more}${size} bytes; an estate file may be at most ${MAX_ESTATE_BYTES} bytes`);

/** The offset of the first byte that does not begin a well-formed UTF-8 character, if any. */
export function invalidUtf8At(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return undefined;
}

/** Whether the text looks like UTF-16 without a byte-order mark: ASCII with a zero byte beside each character. */
function utf16Without(bytes: Uint8Array): 'little-endian' | 'big-endian' | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 2) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.6 && evenZero === 0) return 'little-endian';
  if (evenZero >= pairs * 0.6 && oddZero === 0) return 'big-endian';
  return undefined;
}

/** An estate file's bytes as text: UTF-8 only (a UTF-8 byte-order mark is dropped), every other encoding named and refused. */
export function decodeEstate(bytes: Uint8Array, name = 'estate'): string {
  const save = 'save it as UTF-8 (in most editors: Save with Encoding, UTF-8)';
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) {
    throw new DrawbridgeError(`${name}: is UTF-32 (${a === 0xff ? 'little' : 'big'}-endian, with a byte-order mark), not UTF-8; ${save}`);
  }
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    throw new DrawbridgeError(`${name}: is UTF-16 (${a === 0xff ? 'little' : 'big'}-endian, with a byte-order mark), not UTF-8; ${save}`);
  }
  const utf16 = utf16Without(bytes);
  if (utf16) throw new DrawbridgeError(`${name}: is UTF-16 (${utf16}, without a byte-order mark), not UTF-8; ${save}`);
  if (bytes.includes(0)) throw new DrawbridgeError(`${name}: is a binary file, not a YAML estate`);
  if (!isUtf8(bytes)) {
    const at = invalidUtf8At(bytes) ?? 0;
    const line = lineAt(bytes, at);
    const lineStart = at === 0 ? 0 : bytes.lastIndexOf(10, at - 1) + 1;
    throw new DrawbridgeError(
      `${name}:${line}: is not valid UTF-8: byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} at offset ${at} (byte ${at - lineStart + 1} of line ${line}) is not part of a UTF-8 character (saved as Latin-1 or Windows-1252?); ${save}, or pages would show U+FFFD in its place`,
    );
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Reads and validates an estate file; messages name it `name` (default: `file`), e.g. as the user typed it. */
export function loadEstate(file: string, name = file): Estate {
  return parseEstateText(decodeEstate(readEstateBytes(file, name), name), name);
}
