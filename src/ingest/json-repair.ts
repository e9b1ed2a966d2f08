/**
 * Reading JSON exports that are almost JSON. Some Telegram exporters wrote raw control characters
 * inside strings, bare ids (`"from_id": user123`) and trailing commas; JSON.parse rejects all three.
 * Pure functions: the repair runs only after a strict parse failed, and says what it changed.
 */
import { unreadable } from '../errors';
import type { Warning } from './types';

/** What `repairJson` changed, by kind. */
export interface JsonRepairs {
  controlChars: number;
  bareWords: number;
  trailingCommas: number;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function escapeControl(ch: string): string {
  return ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

const isWordStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57);
const isNumberPart = (c: number) => (c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45;
const isJsonSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * Fix raw control characters in strings, bare words and trailing commas in one pass:
 * `repairJson('{"id": user1,}').text` → `'{"id": "user1"}'`.
 */
export function repairJson(text: string): { text: string; repairs: JsonRepairs } {
  const repairs: JsonRepairs = { controlChars: 0, bareWords: 0, trailingCommas: 0 };
  const out: string[] = [];
  // Unchanged stretches are copied in one slice from `from`, so large files stay cheap.
  let from = 0;
  let inString = false;
  let i = 0;
  const emit = (upTo: number, replacement: string, resume: number) => {
    out.push(text.slice(from, upTo), replacement);
    from = resume;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 34) inString = false;
      else if (c === 92) {
        const next = text.charCodeAt(i + 1);
        if (next < 0x20) {
          // A backslash before a raw control character: keep the character, escaped.
          emit(i, escapeControl(text.charAt(i + 1)), i + 2);
          repairs.controlChars++;
        }
        i += 2;
        continue;
      } else if (c < 0x20) {
        emit(i, escapeControl(text.charAt(i)), i + 1);
        repairs.controlChars++;
      }
      i++;
      continue;
    }
    if (c === 34) {
      inString = true;
      i++;
      continue;
    }
    if (c === 44) {
      let j = i + 1;
      while (j < text.length && isJsonSpace(text.charCodeAt(j))) j++;
      const after = text.charCodeAt(j);
      if (after === 125 || after === 93) {
        emit(i, '', i + 1);
        repairs.trailingCommas++;
      }
      i++;
      continue;
    }
    if ((c >= 48 && c <= 57) || c === 45) {
      // Skip a whole number so the `e` of `1e5` is not taken for a bare word.
      let j = i + 1;
      while (j < text.length && isNumberPart(text.charCodeAt(j))) j++;
      i = j;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < text.length && isWordPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      if (word !== 'true' && word !== 'false' && word !== 'null') {
        emit(i, `"${word}"`, j);
        repairs.bareWords++;
      }
      i = j;
      continue;
    }
    i++;
  }
  out.push(text.slice(from));
  return { text: out.join(''), repairs };
}

/** 1-based line and column of a character offset: `lineColumn("a\nbc", 3)` → `{ line: 2, column: 2 }`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** V8's reason without its echo of the input (which may hold personal data) and without the offset. */
function describeSyntaxError(message: string): string {
  const reason = message
    .replace(/, ".*" is not valid JSON$/s, '')
    .replace(/ is not valid JSON$/, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .trim();
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/** Offset of a string's end (after its closing quote), or of the fault inside it. */
function scanString(s: string, start: number): { end: number; ok: boolean } {
  let i = start + 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) return { end: i + 1, ok: true };
    if (c < 0x20) return { end: i, ok: false };
    if (c === 92) {
      const e = s.charAt(i + 1);
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) return { end: i, ok: false };
        i += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(e) || e === '') return { end: i, ok: false };
      i += 2;
      continue;
    }
    i++;
  }
  return { end: s.length, ok: false };
}

/**
 * Offset where strict JSON first goes wrong, or -1 when it does not: `syntaxErrorOffset('{"a": }')` → 6.
 * Node 20's JSON.parse names no position for "Unexpected token" errors, and a user needs one to find
 * the fault in a large export.
 */
export function syntaxErrorOffset(s: string): number {
  const stack: ('{' | '[')[] = [];
  let i = 0;
  const skip = () => {
    while (i < s.length && isJsonSpace(s.charCodeAt(i))) i++;
  };
  let want: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    skip();
    const ch = s.charAt(i);
    if (want === 'key') {
      if (ch !== '"') return i;
      const str = scanString(s, i);
      if (!str.ok) return str.end;
      i = str.end;
      skip();
      if (s.charAt(i) !== ':') return i;
      i++;
      want = 'value';
      continue;
    }
    if (want === 'value') {
      if (ch === '{' || ch === '[') {
        stack.push(ch);
        i++;
        skip();
        const close = ch === '{' ? '}' : ']';
        if (s.charAt(i) === close) {
          stack.pop();
          i++;
          want = 'after';
        } else want = ch === '{' ? 'key' : 'value';
        continue;
      }
      if (ch === '"') {
        const str = scanString(s, i);
        if (!str.ok) return str.end;
        i = str.end;
      } else {
        NUMBER.lastIndex = i;
        LITERAL.lastIndex = i;
        if (NUMBER.test(s)) i = NUMBER.lastIndex;
        else if (LITERAL.test(s)) i = LITERAL.lastIndex;
        else return i;
      }
      want = 'after';
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i < s.length ? i : -1;
    if (ch === ',') {
      i++;
      want = top === '{' ? 'key' : 'value';
    } else if ((top === '{' && ch === '}') || (top === '[' && ch === ']')) {
      stack.pop();
      i++;
    } else return i;
  }
}

function whereOf(text: string): string | undefined {
  const offset = syntaxErrorOffset(text);
  if (offset < 0) return undefined;
  if (offset >= text.length) return 'end of file';
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column}`;
}

function repairSummary(r: JsonRepairs): string {
  const parts: string[] = [];
  if (r.controlChars) parts.push(`${r.controlChars} raw control character${r.controlChars === 1 ? '' : 's'} inside strings`);
  if (r.bareWords) parts.push(`${r.bareWords} unquoted value${r.bareWords === 1 ? '' : 's'} (e.g. ids)`);
  if (r.trailingCommas) parts.push(`${r.trailingCommas} trailing comma${r.trailingCommas === 1 ? '' : 's'}`);
  return `repaired ${parts.join(', ')} written by the exporting app`;
}

/**
 * Parse JSON strictly, and only if that fails, repair and retry; throws `unreadable` naming `expected`:
 * `readJson('{"a":1,}', 'a Telegram export').warnings[0].code` → `"json_repaired"`.
 */
export function readJson(text: string, expected: string): { value: unknown; warnings: Warning[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw unreadable(`the file is empty; expected ${expected}`);
  let firstError: string;
  try {
    return { value: JSON.parse(body), warnings: [] };
  } catch (e) {
    firstError = e instanceof Error ? e.message : String(e);
  }
  const { text: repaired, repairs } = repairJson(body);
  const changed = repairs.controlChars + repairs.bareWords + repairs.trailingCommas;
  // A file that does not start like JSON is another format: quoting its words would only mislead.
  const looksJson = /^\s*[[{]/.test(body);
  if (changed > 0 && looksJson) {
    try {
      const value: unknown = JSON.parse(repaired);
      return { value, warnings: [{ code: 'json_repaired', message: repairSummary(repairs) }] };
    } catch {
      // Report the error of the file as uploaded: positions in the repaired text would not match it.
    }
  }
  const what = looksJson ? describeSyntaxError(firstError) : 'it does not start with "{" or "["';
  throw unreadable(`this is not valid JSON (${what}); expected ${expected}`, whereOf(body));
}

/** True for a plain JSON object: `isRecord({})` → true, `isRecord([])` → false. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The keys of a JSON value for error messages: `keysOf({a:1,b:2})` → `"a, b"`. */
export function keysOf(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (!isRecord(v)) return `a ${v === null ? 'null' : typeof v} value`;
  const keys = Object.keys(v);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 12).map((k) => JSON.stringify(k.slice(0, 40)));
  return `top-level keys ${shown.join(', ')}${keys.length > 12 ? `, … (${keys.length} in all)` : ''}`;
}
