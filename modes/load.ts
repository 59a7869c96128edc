/**
 * Reading an estate file: YAML -> schema -> Estate, with every problem reported as
 * `file:line: path: what is wrong (got value); what is allowed`.
 */
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { DrawbridgeError, show } from './errors';
import { formatPath } from './path';
import { EstateSchema, type Estate } from './schema';

/** Estate files are small; anything bigger is a mistake (a log, a dump), not an estate. */
export const MAX_ESTATE_BYTES = 1024 * 1024;

type Path = readonly PropertyKey[];
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

function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): { path: Path; text: string } {
  const path = issue.path;
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
      return { path, text: `expected ${issue.expected}, got ${show(issue.input)}` };
    case 'invalid_value':
      return { path, text: `${show(issue.input)} is not allowed; allowed: ${issue.values.map((v) => String(v)).join(', ')}` };
    case 'invalid_format':
      if (issue.format === 'datetime') return { path, text: `${show(issue.input)} is not an ISO-8601 date-time with offset (e.g. 2030-01-19T22:00:00Z)` };
      return { path, text: `${show(issue.input)} ${issue.message}` };
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
      const exclusive = (issue as { inclusive?: boolean }).inclusive === false;
      const limit = `${small ? (exclusive ? 'more than' : 'at least') : exclusive ? 'less than' : 'at most'} ${bound}`;
      const origin = (issue as { origin?: string }).origin;
      const what = origin === 'array' ? `must have ${limit} item${Number(bound) === 1 ? '' : 's'}` : origin === 'string' ? `must be ${limit} characters long` : `must be ${limit}`;
      return { path, text: `${show(issue.input)}: ${what}` };
    }
    case 'invalid_union': {
      // A union may name its own forms (its `error`); zod's default message says nothing.
      const hint = issue.message && issue.message !== 'Invalid input' ? issue.message : unionHint(path);
      if (issue.input === undefined) return { path, text: `required, but missing; ${hint}` };
      return { path, text: `${show(issue.input)} matches none of the allowed forms; ${hint}` };
    }
    case 'custom':
      // Cross-field rules (superRefine) name the values in their own message; zod's `input` there
      // is the whole estate.
      return { path, text: issue.message };
    default:
      return { path, text: `${issue.message}${issue.input === undefined ? '' : ` (got ${show(issue.input)})`}` };
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
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const { path, text } = describeIssue(issue as z.core.$ZodIssue & { input?: unknown });
    const line = doc && counter ? lineOf(doc, counter, path) : undefined;
    return `${source}${line ? `:${line}` : ''}: ${formatPath(path)}: ${text}`;
  });
  throw new DrawbridgeError([...new Set(problems)]);
}

/** Parses YAML text into an Estate; `source` names the file in messages. */
export function parseEstateText(text: string, source = 'estate'): Estate {
  if (text.includes('\u0000')) throw new DrawbridgeError(`${source}: is a binary file, not a YAML estate`);
  if (text.trim() === '') throw new DrawbridgeError(`${source}: is empty; an estate needs at least name, site and brand`);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The first syntax error is the real one; the parser's later ones are its consequences.
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? counter.linePos(err.pos[0]).line;
    throw new DrawbridgeError(`${source}${line ? `:${line}` : ''}: YAML syntax error: ${err.message.split('\n')[0]}`);
  }
  return parseEstate(doc.toJS({ maxAliasCount: 100 }), source, doc, counter);
}

/** Reads and validates an estate file; messages name it `name` (default: `file`), e.g. as the user typed it. */
export function loadEstate(file: string, name = file): Estate {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new DrawbridgeError(`estate file ${show(name)} not found; pass an existing YAML file (for example estates/default.yaml)`);
  }
  if (size > MAX_ESTATE_BYTES) {
    throw new DrawbridgeError(`${name}: is ${size} bytes; an estate file may be at most ${MAX_ESTATE_BYTES} bytes`);
  }
  return parseEstateText(readFileSync(file, 'utf8'), name);
}
