import type { Dialect } from '../../ir/types.js';
import type { PhpNode } from '../../php/ast.js';
import { LocatedString } from '../../php/strings.js';
import type { TableModel } from './schema.js';

/**
 * The values the Doctrine reader's small PHP evaluator knows. It runs a migration's methods
 * symbolically: strings keep their file positions, platform checks become sets of platforms, and the
 * Schema API objects are models. Anything else is `dyn`, with what it was, for messages.
 */

/** A part of a string being built: text from the file, or a value known only at run time. */
export type StrPart = { ls: LocatedString } | { dyn: DynVal } | { choice: StrPart[][]; at: number };

/**
 * What a run-time value stands for when it is spliced into SQL:
 * - prefix: a table-name prefix (`$this->prefix`, MAUTIC_TABLE_PREFIX): empty for zdd;
 * - table: a helper that prefixes a table name (`$this->getTable('entry')`): the bare name;
 * - name: a helper or property that names an index, key or constraint: kept as a symbolic name;
 * - literal: an SQL literal produced at run time (`$this->connection->quote($x)`).
 */
export type Sym = { kind: 'prefix' } | { kind: 'table'; name: string } | { kind: 'name'; text: string } | { kind: 'literal' };

export interface DynVal {
  t: 'dyn';
  /** What was dynamic, for messages: `variable $table`, `call to $this->getSql()`. */
  reason: string;
  sym?: Sym;
  /** File offset of the expression. */
  at: number;
  /** The PHP source of the expression (used as a symbolic name). */
  text?: string;
  /** Computes `text` when it is needed (most run-time values never are). */
  textOf?: () => string;
}

/** The PHP source of a run-time value, for symbolic names. */
export function dynText(d: DynVal): string {
  return d.text ?? d.textOf?.() ?? d.reason;
}

export interface QueryBuilderVal {
  t: 'qb';
  action?: 'update' | 'delete' | 'insert' | 'select';
  table?: Val;
  filtered: boolean;
  limited: boolean;
}

export type Val =
  | { t: 'str'; parts: StrPart[] }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'arr'; items: ArrayItem[] }
  | DynVal
  /** A boolean that depends on the platform: true on the platforms in `set`; `exact` false when other run-time facts decide too. */
  | { t: 'cond'; set: number; exact: boolean }
  | { t: 'this' }
  | { t: 'conn' }
  | { t: 'platform' }
  /** `$platform->getName()` / the driver name: compared with a literal it becomes a cond. */
  | { t: 'platformName'; driver?: boolean }
  | { t: 'schema' }
  | { t: 'table'; model: TableModel }
  | { t: 'column'; table: TableModel; name: string }
  | { t: 'type'; name: string }
  | QueryBuilderVal
  | { t: 'stmt'; sql: Val; node: PhpNode }
  | { t: 'closure'; node: PhpNode }
  /** One of several values, chosen at run time (`$unsigned ? 'UNSIGNED' : ''`). */
  | { t: 'choice'; options: Val[] }
  /** A value per platform (a variable set in platform branches). */
  | { t: 'byPlatform'; options: Array<{ set: number; value: Val }> };

/** An array entry; `keyVal` holds a key known only at run time. */
export interface ArrayItem {
  key?: string | number;
  keyVal?: Val;
  value: Val;
}

export const str = (ls: LocatedString): Val => ({ t: 'str', parts: [{ ls }] });

export function dyn(reason: string, at: number, sym?: Sym, text?: string): DynVal {
  const d: DynVal = { t: 'dyn', reason, at };
  if (sym) d.sym = sym;
  if (text) d.text = text;
  return d;
}

/** The plain text of a value when it is a constant string (or number). */
export function constText(v: Val): string | undefined {
  if (v.t === 'num') return String(v.v);
  if (v.t !== 'str') return undefined;
  let out = '';
  for (const p of v.parts) {
    if (!('ls' in p)) return undefined;
    out += p.ls.value;
  }
  return out;
}

/** A value's parts for concatenation; numbers and booleans print as PHP prints them. */
export function partsOf(v: Val, at: number): StrPart[] {
  switch (v.t) {
    case 'str':
      return v.parts;
    case 'num':
      return [{ ls: LocatedString.synthetic(String(v.v), at) }];
    case 'bool':
      return [{ ls: LocatedString.synthetic(v.v ? '1' : '', at) }];
    case 'null':
      return [{ ls: LocatedString.empty() }];
    case 'dyn':
      return [{ dyn: v }];
    case 'choice':
      return [{ choice: v.options.map((o) => partsOf(o, at)), at }];
    default:
      return [{ dyn: dyn(describeVal(v), at) }];
  }
}

/** Every combination of the choices in `parts` (at most `max`; undefined when there are more). */
export function expandChoices(parts: readonly StrPart[], max = 8): StrPart[][] | undefined {
  let out: StrPart[][] = [[]];
  for (const p of parts) {
    if (!('choice' in p)) {
      for (const o of out) o.push(p);
      continue;
    }
    const next: StrPart[][] = [];
    for (const o of out) {
      for (const option of p.choice) {
        const sub = expandChoices(option, max);
        if (!sub) return undefined;
        for (const s of sub) next.push([...o, ...s]);
      }
    }
    if (next.length > max) return undefined;
    out = next;
  }
  return out;
}

export function describeVal(v: Val): string {
  switch (v.t) {
    case 'dyn':
      return v.reason;
    case 'arr':
      return 'an array';
    case 'cond':
    case 'bool':
      return 'a boolean';
    case 'table':
      return `table object ${v.model.name}`;
    case 'column':
      return `column object ${v.name}`;
    case 'qb':
      return 'a query builder';
    case 'choice':
      return 'a value chosen at run time';
    default:
      return `a ${v.t} value`;
  }
}

/** Where a string part sits in the SQL built so far: outside quotes, in a string literal, or in a quoted identifier. */
export function quoteState(sql: string, dialect: Dialect): 'none' | 'string' | 'ident' {
  let state: 'none' | 'single' | 'double' | 'back' = 'none';
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (state === 'none') {
      if (c === "'") state = 'single';
      else if (c === '"') state = 'double';
      else if (c === '`' && dialect !== 'postgres') state = 'back';
      else if (c === '-' && sql[i + 1] === '-') {
        const nl = sql.indexOf('\n', i);
        if (nl === -1) return 'none';
        i = nl;
      }
    } else if (state === 'single') {
      if (c === '\\' && dialect !== 'postgres') i++;
      else if (c === "'") {
        if (sql[i + 1] === "'") i++;
        else state = 'none';
      }
    } else if (state === 'double') {
      if (c === '\\' && dialect !== 'postgres') i++;
      else if (c === '"') {
        if (sql[i + 1] === '"') i++;
        else state = 'none';
      }
    } else if (c === '`') {
      if (sql[i + 1] === '`') i++;
      else state = 'none';
    }
  }
  if (state === 'single') return 'string';
  if (state === 'double') return dialect === 'postgres' ? 'ident' : 'string';
  if (state === 'back') return 'ident';
  return 'none';
}

export function quoteIdent(name: string, dialect: Dialect): string {
  return dialect === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;
}

/** Text placed where a run-time value sits inside an SQL string literal: only the statement's shape matters. */
export const VALUE_PLACEHOLDER = 'zdd_runtime_value';

/**
 * SQL text ending where an object name must follow (`DROP FOREIGN KEY `, `ALTER TABLE `, `ON `):
 * a run-time value here is a name, so the statement's kind and cost do not depend on it.
 */
const NAME_POSITION = /(?:\b(?:TABLE|INTO|UPDATE|FROM|JOIN|ON|REFERENCES|INDEX|KEY|CONSTRAINT|COLUMN|SEQUENCE|TRIGGER|VIEW|EXISTS|TO|DROP|CHANGE|MODIFY|RENAME)\s+|\.)$/i;

/** SQL text ending where a value must follow (`= `, `IN (`, `LIMIT `): a run-time value here is data. */
const VALUE_POSITION = /(?:[=<>]|\bIN\s*\(|\bLIKE|\bLIMIT|\bOFFSET|\bVALUES\s*\(|\bTHEN|\bELSE|\bBETWEEN|\bAND)\s*$/i;

/**
 * True when the SQL so far ends where an expression value goes: after a comparison, `IN (`,
 * `LIMIT`, …, or after `(` / `,` of a VALUES list or a function call (not a column list).
 */
function valuePosition(sql: string): boolean {
  const t = sql.trimEnd();
  if (VALUE_POSITION.test(t)) return true;
  if (!/[(,]$/.test(t)) return false;
  let depth = 0;
  for (let i = t.length - 1; i >= 0; i--) {
    const c = t[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) {
        const before = t.slice(0, i);
        if (/\b(VALUES|IN)\s*$/i.test(before)) return true;
        // a function call: name( with no space, not a table/index definition
        return /[A-Za-z_]\w*$/.test(before) && !/\b(TABLE|INTO|INDEX|KEY|REFERENCES|UNIQUE|EXISTS)\s+[`"]?[\w.]+[`"]?$/i.test(before);
      }
      depth--;
    }
  }
  return false;
}

/** `symbolic`: the run-time expressions written into the SQL as names (not prefixes, table helpers or values). */
export type Resolved = { ls: LocatedString; substituted: number; symbolic: string[] } | { dynamic: string };

/**
 * Joins string parts. In SQL, a run-time part is replaced when the statement's meaning does not
 * depend on it: a table prefix (empty), a table-name helper (the bare name), a name helper (a quoted
 * symbolic name), any value inside an SQL string literal (a placeholder), an SQL literal from
 * quote(). Anything else leaves the statement dynamic, with the reason.
 * As a name given to the Schema API, prefixes and table helpers resolve the same way; symbolic names
 * (a name helper, another class's constant) stand for index and key names (`name`) but never for a
 * table or column (`table`); everything else stays dynamic.
 */
export function resolveParts(parts: readonly StrPart[], ctx: 'sql' | 'name' | 'table', dialect: Dialect): Resolved {
  if (parts.length === 1 && 'ls' in parts[0]!) return { ls: parts[0].ls, substituted: 0, symbolic: [] };
  const pieces: LocatedString[] = [];
  let text = ''; // the SQL so far, for the quote state and position checks
  let substituted = 0;
  const symbolic: string[] = [];
  const named = (n: string): string => {
    if (!symbolic.includes(n)) symbolic.push(n);
    return n;
  };
  for (const p of parts) {
    if ('ls' in p) {
      pieces.push(p.ls);
      text += p.ls.value;
      continue;
    }
    if ('choice' in p) return { dynamic: 'a value chosen at run time' };
    const d = p.dyn;
    const sym = d.sym;
    let sub: string | undefined;
    if (sym?.kind === 'prefix') sub = '';
    else if (ctx === 'name' || ctx === 'table') {
      if (sym?.kind === 'table') sub = sym.name;
      // a symbolic name stands for an index or key name; a table or column it would only guess
      else if (sym?.kind === 'name' && ctx === 'name') sub = named(sym.text);
    } else {
      const state = quoteState(text, dialect);
      const name = (): string => named((sym?.kind === 'name' ? sym.text : dynText(d)).replace(/[`"]/g, "'"));
      if (state === 'string') sub = sym?.kind === 'table' ? sym.name : VALUE_PLACEHOLDER;
      else if (state === 'ident') sub = sym?.kind === 'table' ? sym.name : name();
      else if (sym?.kind === 'table') sub = quoteIdent(sym.name, dialect);
      else if (sym?.kind === 'name') sub = quoteIdent(name(), dialect);
      else if (sym?.kind === 'literal') sub = `'${VALUE_PLACEHOLDER}'`;
      else if (NAME_POSITION.test(text)) sub = quoteIdent(name(), dialect);
      else if (valuePosition(text)) sub = `'${VALUE_PLACEHOLDER}'`;
    }
    if (sub === undefined) return { dynamic: d.reason };
    if (sym?.kind !== 'prefix') substituted++;
    // `'ALTER TABLE ' . $x` with nothing after it: $x holds the whole change, not only a name
    if (ctx === 'sql' && !sym && p === parts[parts.length - 1] && /\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?$/i.test(text)) return { dynamic: d.reason };
    pieces.push(LocatedString.synthetic(sub, d.at));
    text += sub;
  }
  return { ls: LocatedString.join(pieces), substituted, symbolic };
}
