import { LineMap } from '../util/text.js';
import { doctrineColumns, doctrineJoinColumns } from './names.js';

/**
 * Doctrine XML and YAML mapping files → entity class, table and mapped column names with their
 * lines. Read with small scanners (no XML/YAML dependency): mapping files are regular and only the
 * names matter here.
 */

export interface MappedColumn {
  /** Candidate column names: the explicit one, else what the naming strategies derive from the property. */
  names: string[];
  line: number;
}

export interface EntityMapping {
  entity: string;
  table?: string;
  line: number;
  columns: MappedColumn[];
  /** Join tables of many-to-many associations. */
  joinTables: Array<{ name: string; line: number }>;
}


function attr(tag: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
}

/** `<entity name="App\Entity\User" table="users">` … `</entity>` */
export function readXmlMapping(text: string): EntityMapping[] {
  const lines = new LineMap(text);
  const out: EntityMapping[] = [];
  const blocks = /<(entity|mapped-superclass|embeddable)\b([^>]*)>([\s\S]*?)<\/\1>/g;
  for (const b of text.matchAll(blocks)) {
    const head = b[2]!;
    const entity = attr(head, 'name');
    if (!entity) continue;
    const bodyStart = b.index! + b[0].indexOf('>') + 1;
    const body = b[3]!;
    const m: EntityMapping = { entity, line: lines.position(b.index!).line, columns: [], joinTables: [] };
    const table = attr(head, 'table');
    if (table) m.table = table;
    for (const t of body.matchAll(/<(field|id|join-column|many-to-one|one-to-one|join-table|index|unique-constraint)\b([^>]*?)\/?>/g)) {
      const line = lines.position(bodyStart + t.index!).line;
      const tag = t[2]!;
      switch (t[1]) {
        case 'field':
        case 'id': {
          const column = attr(tag, 'column');
          const name = attr(tag, 'name');
          if (column) m.columns.push({ names: [column], line });
          else if (name) m.columns.push({ names: doctrineColumns(name), line });
          break;
        }
        case 'join-column': {
          const name = attr(tag, 'name');
          if (name) m.columns.push({ names: [name], line });
          break;
        }
        case 'many-to-one':
        case 'one-to-one': {
          // the default join column, unless a <join-column> follows (then that one names it) or this is the inverse side
          const field = attr(tag, 'field');
          const rest = body.slice(t.index! + t[0].length, t.index! + t[0].length + 400);
          const explicit = !t[0].endsWith('/>') && /^\s*<join-columns?\b/.test(rest);
          if (field && !attr(tag, 'mapped-by') && !explicit) m.columns.push({ names: doctrineJoinColumns(field), line });
          break;
        }
        case 'join-table': {
          const name = attr(tag, 'name');
          if (name) m.joinTables.push({ name, line });
          break;
        }
        case 'index':
        case 'unique-constraint': {
          const cols = attr(tag, 'columns');
          if (cols) m.columns.push({ names: cols.split(',').map((c) => c.trim()).filter(Boolean), line });
          break;
        }
      }
    }
    out.push(m);
  }
  return out;
}

/** The YAML mapping format (`App\Entity\User: { type: entity, table: users, fields: … }`), by indentation. */
export function readYamlMapping(text: string): EntityMapping[] {
  const out: EntityMapping[] = [];
  const lines = text.split('\n');
  let cur: EntityMapping | undefined;
  // stack of [indent, key]
  const stack: Array<[number, string]> = [];
  let pending: { line: number; prop: string; section: string } | undefined;
  const flush = (): void => {
    if (pending && cur) {
      if (pending.section === 'fields' || pending.section === 'id') cur.columns.push({ names: doctrineColumns(pending.prop), line: pending.line });
      else cur.columns.push({ names: doctrineJoinColumns(pending.prop), line: pending.line });
    }
    pending = undefined;
  };
  lines.forEach((raw, i) => {
    const line = i + 1;
    const noComment = raw.replace(/\s+#.*$/, '');
    if (!noComment.trim() || noComment.trim().startsWith('#')) return;
    const indent = noComment.length - noComment.trimStart().length;
    const m = /^\s*(?:-\s+)?["']?([^:"']+?)["']?\s*:\s*(.*)$/.exec(noComment);
    if (!m) return;
    const key = m[1]!.trim();
    const value = m[2]!.trim().replace(/^["']|["']$/g, '');
    while (stack.length && stack[stack.length - 1]![0] >= indent) stack.pop();
    if (indent === 0) {
      flush();
      cur = { entity: key.replace(/^\\/, ''), line, columns: [], joinTables: [] };
      out.push(cur);
      stack.push([indent, key]);
      return;
    }
    if (!cur) return;
    const path = stack.map(([, k]) => k);
    const depth = path.length; // 1 = directly under the entity
    if (depth === 1 && key === 'table' && value) cur.table = value;
    if (depth === 2 && ['fields', 'id', 'manyToOne', 'oneToOne'].includes(path[1]!)) {
      // a property of a section: its column comes from `column:` / `joinColumn: name:` if given
      flush();
      pending = { line, prop: key, section: path[1]! };
    }
    if (depth === 3 && key === 'column' && value && pending) {
      cur.columns.push({ names: [value], line });
      pending = undefined;
    }
    if (depth === 3 && key === 'mappedBy' && pending) pending = undefined;
    if (key === 'name' && value && (path.includes('joinColumn') || path.includes('joinColumns') || path.includes('inverseJoinColumns'))) {
      if (path.includes('joinTable')) cur.columns.push({ names: [value], line });
      else {
        cur.columns.push({ names: [value], line });
        if (pending && path.includes(pending.prop)) pending = undefined;
      }
    }
    if (key === 'name' && value && path[path.length - 1] === 'joinTable') cur.joinTables.push({ name: value, line });
    // joinColumn: { name: team_id, referencedColumnName: id }
    if (key === 'joinColumn' && value.startsWith('{')) {
      const name = /\bname\s*:\s*["']?(\w+)/.exec(value)?.[1];
      if (name) {
        cur.columns.push({ names: [name], line });
        pending = undefined;
      }
    }
    // joinColumns / inverseJoinColumns are keyed by column name
    const parent = path[path.length - 1];
    if ((parent === 'joinColumns' || parent === 'inverseJoinColumns') && key !== 'name') {
      cur.columns.push({ names: [key], line });
      if (pending && path.includes(pending.prop)) pending = undefined;
    }
    if (key === 'columns' && path.includes('indexes')) {
      for (const c of value.replace(/[[\]]/g, '').split(',')) if (c.trim()) cur.columns.push({ names: [c.trim()], line });
    }
    if (value === '' || value === '|' || value === '>') stack.push([indent, key]);
  });
  flush();
  return out.filter((e) => /\\/.test(e.entity) || e.table);
}
