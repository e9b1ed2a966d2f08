/** Small SQL-building helpers shared by the store modules. Pure. */
import type { AuditEntry } from './store';
import type { RawStatement } from './db';

/** `placeholders(3)` → `"?, ?, ?"`. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/** `repeat("(?, ?)", 2)` → `"(?, ?), (?, ?)"`: the VALUES list of a multi-row insert. */
export function repeat(shape: string, n: number): string {
  return new Array(n).fill(shape).join(', ');
}

/** `[...chunks([1, 2, 3], 2)]` → `[[1, 2], [3]]`; a size below 1 counts as 1. */
export function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  const n = Math.max(1, size);
  for (let i = 0; i < list.length; i += n) yield list.slice(i, i + n);
}

/** The audit-log insert for an entry, for inclusion in a batch. */
export function auditStatement(a: AuditEntry): RawStatement {
  return {
    sql: 'insert into audit_log (at, actor, action, consultation_id, target, details) values (?, ?, ?, ?, ?, ?)',
    args: [a.at, a.actor, a.action, a.consultationId ?? null, a.target ?? null, JSON.stringify(a.details ?? {})],
  };
}
