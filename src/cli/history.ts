import type { Migration, Operation } from '../ir/types.js';

/**
 * Which earlier migrations a change needs replayed for its schema: when the change's ops all name
 * their tables, only the migrations that name one of those tables (or a table at run time), a table
 * renamed earlier bringing its old name along; otherwise all of them. Parsing an app's hundreds of
 * old migrations on every commit for nothing is what this saves (the pre-commit path).
 *
 * `columns`: the code index also needs, for these column names, every table that has them (a name
 * other tables share counts only where code ties it to its table). The migrations whose text names
 * one of them are replayed too, and the tables those migrations touch are then followed like the
 * change's own (a later rename or drop of such a table). A Blueprint helper creates columns whose
 * names its call does not spell (`timestamps()`, `morphs('owner')`, `foreignIdFor(User::class)`):
 * a migration is then picked by the helper's name or the column's stem (`spellings`); for `id`, the
 * whole history is replayed.
 */
export function replayHistory(changeOps: readonly Operation[], history: readonly string[], text: (file: string) => string, read: (file: string) => Migration | undefined, opts: { columns?: readonly string[] } = {}): { read: number; names?: Set<string>; columns?: string[]; unspelled?: string[] } {
  // an op whose table zdd does not know (PostgreSQL's DROP INDEX names only the index, SQL it could
  // not read) may touch any table: the whole history then
  const unknownTable = changeOps.some((op) => !op.table && op.kind !== 'session' && op.kind !== 'statement');
  const columns = [...new Set((opts.columns ?? []).map((c) => c.toLowerCase()))];
  const helperMade = columns.filter((c) => !spellings(c));
  if (unknownTable || helperMade.length) {
    for (const file of history) read(file);
    return { read: history.length, ...(!unknownTable ? { unspelled: helperMade } : {}) };
  }
  // names are matched case-insensitively
  const names = new Set(touchedTables(changeOps).map((n) => n.toLowerCase()));
  const lower = new Map<string, string>();
  const lowerText = (f: string): string => lower.get(f) ?? (lower.set(f, text(f).toLowerCase()), lower.get(f)!);
  // a file naming a table at run time is read in the first round; later rounds look for the names a rename added
  const dynamic = new Set(history.filter((f) => DYNAMIC_TABLE.test(text(f))));
  const spelled = columns.flatMap((c) => spellings(c)!);
  const namesColumn = (f: string): boolean => spelled.some((c) => lowerText(f).includes(c));
  let pending = [...history];
  for (let grew = true; grew; ) {
    grew = false;
    const hits = new Set(pending.filter((f) => dynamic.has(f) || [...names].some((n) => lowerText(f).includes(n)) || namesColumn(f)));
    pending = pending.filter((f) => !hits.has(f));
    for (const file of hits) {
      const ops = read(file)?.ops ?? [];
      // a table that has (or had) one of the columns: its later renames and drops matter too
      if (namesColumn(file)) {
        for (const t of touchedTables(ops)) if (!names.has(t.toLowerCase())) (names.add(t.toLowerCase()), (grew = true));
      }
      for (const op of ops) {
        if (op.kind !== 'rename-table') continue;
        const [from, to] = [op.table.toLowerCase(), op.newName.toLowerCase()];
        for (const [a, b] of [[from, to], [to, from]] as const) if (names.has(a) && !names.has(b)) (names.add(b), (grew = true));
      }
    }
  }
  return { read: history.length - pending.length, names, ...(columns.length ? { columns } : {}) };
}

/**
 * What a migration creating or dropping `column` contains (lower case), one of: the name itself, or
 * the call of a Blueprint helper that makes it — `timestamps()` / `datetimes()` (created_at,
 * updated_at), `softDeletes()` (deleted_at), `rememberToken()`, `ipAddress()`, `macAddress()`,
 * `morphs('owner')` (owner_id, owner_type) and `foreignIdFor(OwnerUser::class)` (owner_user_id).
 * Undefined for `id`, which `id()` makes in nearly every migration: the whole history then.
 */
function spellings(column: string): string[] | undefined {
  if (column === 'id') return undefined;
  const out = [column];
  if (column === 'created_at' || column === 'updated_at') out.push('timestamps', 'datetimes');
  else if (column === 'deleted_at') out.push('softdeletes');
  else if (column === 'remember_token') out.push('remembertoken');
  else if (column === 'ip_address' || column === 'mac_address') out.push(column.replace('_', ''));
  const m = /^(\w+)_(?:id|type|uuid|ulid)$/.exec(column);
  if (m) out.push(m[1]!, m[1]!.replace(/_/g, ''));
  return out;
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
