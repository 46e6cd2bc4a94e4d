import type { Migration, Operation } from '../ir/types.js';

/**
 * Which earlier migrations a change needs replayed for its schema: when the change's ops all name
 * their tables, only the migrations that name one of those tables (or a table at run time), a table
 * renamed earlier bringing its old name along; otherwise all of them. Parsing an app's hundreds of
 * old migrations on every commit for nothing is what this saves (the pre-commit path).
 */
export function replayHistory(changeOps: readonly Operation[], history: readonly string[], text: (file: string) => string, read: (file: string) => Migration | undefined, opts: { all?: boolean } = {}): { read: number; names?: Set<string> } {
  // an op whose table zdd does not know (PostgreSQL's DROP INDEX names only the index, SQL it could
  // not read) may touch any table: the whole history then
  const unknownTable = changeOps.some((op) => !op.table && op.kind !== 'session' && op.kind !== 'statement');
  if (opts.all || unknownTable) {
    for (const file of history) read(file);
    return { read: history.length };
  }
  // names are matched case-insensitively
  const names = new Set(touchedTables(changeOps).map((n) => n.toLowerCase()));
  const lower = new Map<string, string>();
  const lowerText = (f: string): string => lower.get(f) ?? (lower.set(f, text(f).toLowerCase()), lower.get(f)!);
  // a file naming a table at run time is read in the first round; later rounds look for the names a rename added
  const dynamic = new Set(history.filter((f) => DYNAMIC_TABLE.test(text(f))));
  let pending = [...history];
  for (let grew = true; grew; ) {
    grew = false;
    const hits = new Set(pending.filter((f) => dynamic.has(f) || [...names].some((n) => lowerText(f).includes(n))));
    pending = pending.filter((f) => !hits.has(f));
    for (const file of hits) {
      for (const op of read(file)?.ops ?? []) {
        if (op.kind !== 'rename-table') continue;
        const [from, to] = [op.table.toLowerCase(), op.newName.toLowerCase()];
        for (const [a, b] of [[from, to], [to, from]] as const) if (names.has(a) && !names.has(b)) (names.add(b), (grew = true));
      }
    }
  }
  return { read: history.length - pending.length, names };
}

/** A Schema call or raw SQL whose table name is not a literal: the file may touch any table. */
const DYNAMIC_TABLE = /(?:Schema::(?:connection\([^)]*\)->)?(?:create|table|rename|drop|dropIfExists|dropColumns)|DB::(?:statement|unprepared)|->addSql|->(?:getTable|createTable|dropTable|renameTable))\(\s*[^'"\s)]/;

/** The tables a change's ops name: their own, renamed-to and referenced ones. */
function touchedTables(ops: readonly Operation[]): string[] {
  const out = new Set<string>();
  for (const op of ops) {
    if (op.table) out.add(op.table);
    if (op.kind === 'rename-table') out.add(op.newName);
    if (op.kind === 'add-constraint' && op.references) out.add(op.references.table);
    if (op.kind === 'create-table') {
      if (op.like) out.add(op.like);
      for (const c of op.constraints) if (c.references) out.add(c.references.table);
      for (const col of op.columns) if (col.references) out.add(col.references.table);
    }
    if (op.kind === 'add-column' && op.column.references) out.add(op.column.references.table);
  }
  return [...out].filter(Boolean);
}
