import { basename, extname } from 'node:path';
import type { Dialect, Migration, Operation } from '../ir/types.js';
import { nameOf, parsePhp, shortName, walk, type PhpNode } from '../php/ast.js';
import { LineMap, oneLine } from '../util/text.js';
import type { ReadContext, ReadResult } from './index.js';
import { phpSuppressions } from './php-suppress.js';
import { DoctrineInterpreter, type ClassInfo } from './doctrine/interpret.js';
import { ALL_PLATFORMS, baseClassPlatforms, hasDialect } from './doctrine/platforms.js';

/**
 * Doctrine Migrations (`final class Version… extends AbstractMigration`): the SQL a migration runs
 * and the Schema-API changes DBAL turns into SQL, as IR ops for the dialect being linted.
 * Migration id = the class name (Doctrine's version is the class name, and it orders by it).
 */
export function readDoctrineMigration(path: string, text: string, ctx: ReadContext, ast?: PhpNode): ReadResult {
  const parsed = ast ? { ast } : parsePhp(text, path);
  const fallbackId = basename(path, extname(path));
  if ('error' in parsed) {
    // A file that is clearly a Laravel migration is left to the Laravel reader, which reports it.
    if (/\bIlluminate\\|\bBlueprint\b|\bSchema::/.test(text) && !/\bDoctrine\\|addSql\s*\(/.test(text)) return { skipped: `PHP syntax error (line ${parsed.error.line}); not a Doctrine migration` };
    const op: Operation = {
      kind: 'raw',
      table: '',
      reason: `PHP syntax error: ${parsed.error.message} (line ${parsed.error.line}, column ${parsed.error.col}); nothing in this file was checked`,
      source: { file: path, line: parsed.error.line, col: parsed.error.col, text: oneLine(text.split('\n')[parsed.error.line - 1] ?? '', 160) },
      statement: 0,
    };
    return { migration: { id: fallbackId, file: path, format: 'doctrine', transactional: true, ops: [op], suppressions: [] } };
  }
  const cls = findMigrationClass(parsed.ast);
  if (!cls) return { skipped: 'not a Doctrine migration (no class extending AbstractMigration, or a *Migration base class with up(Schema $schema))' };
  return { migration: readClass(cls, path, text, parsed.ast, ctx.dialect) };
}

interface FoundClass {
  node: PhpNode;
  info: ClassInfo;
  extendsName: string;
}

/**
 * The migration class: one that extends Doctrine's AbstractMigration (any namespace), or an
 * application base class whose name ends in "Migration" (wallabag's WallabagMigration, mautic's
 * AbstractMauticMigration) when the class has an up(Schema $schema) method.
 */
function findMigrationClass(ast: PhpNode): FoundClass | undefined {
  let found: FoundClass | undefined;
  walk(ast, (n) => {
    if (found) return false;
    if (n.kind !== 'class' || !n.extends) return n.kind === 'program' || n.kind === 'namespace';
    const ext = shortName(nameOf(n.extends)) ?? '';
    const info = classInfo(n);
    const schemaParam = ['up', 'down', 'preup', 'postup'].some((m) => /(^|\\)Schema$/.test(nameOf(info.methods.get(m)?.arguments?.[0]?.type) ?? ''));
    if (ext === 'AbstractMigration' || (/Migration$/.test(ext) && schemaParam)) found = { node: n, info, extendsName: ext };
    return false;
  });
  return found;
}

/** Constants of the file's other classes and interfaces (a migration may declare its table names in one). */
function otherConstants(ast: PhpNode, migration: PhpNode): Map<string, Map<string, PhpNode>> {
  const out = new Map<string, Map<string, PhpNode>>();
  walk(ast, (n) => {
    if (n.kind === 'class' || n.kind === 'interface' || n.kind === 'enum') {
      const name = nameOf(n.name);
      if (n !== migration && name) out.set(name, classInfo(n).constants);
      return false;
    }
    return n.kind === 'program' || n.kind === 'namespace';
  });
  return out;
}

function classInfo(n: PhpNode): ClassInfo {
  const info: ClassInfo = { name: nameOf(n.name) ?? '', methods: new Map(), constants: new Map(), properties: new Map() };
  for (const member of (n.body ?? []) as PhpNode[]) {
    if (member.kind === 'method') {
      const name = nameOf(member.name);
      if (name) info.methods.set(name.toLowerCase(), member);
    } else if (member.kind === 'classconstant') {
      for (const c of (member.constants ?? []) as PhpNode[]) {
        const name = nameOf(c.name);
        if (name && c.value) info.constants.set(name, c.value);
      }
    } else if (member.kind === 'propertystatement') {
      for (const p of (member.properties ?? []) as PhpNode[]) {
        const name = nameOf(p.name);
        if (name) info.properties.set(name.toLowerCase(), p);
      }
    }
  }
  return info;
}

const LIFECYCLE_UP: Array<['preup' | 'up' | 'postup', 'pre' | 'up' | 'post']> = [
  ['preup', 'pre'],
  ['up', 'up'],
  ['postup', 'post'],
];
const LIFECYCLE_DOWN: Array<['predown' | 'down' | 'postdown', 'pre' | 'up' | 'post']> = [
  ['predown', 'pre'],
  ['down', 'up'],
  ['postdown', 'post'],
];

function readClass(found: FoundClass, path: string, code: string, ast: PhpNode, dialect: Dialect): Migration {
  const lines = new LineMap(code);
  const baseSet = baseClassPlatforms(found.extendsName);
  const interpret = (lifecycle: typeof LIFECYCLE_UP): { ops: Operation[]; it: DoctrineInterpreter } => {
    const it = new DoctrineInterpreter({ file: path, code, dialect, cls: found.info, baseSet, lines, otherConstants: otherConstants(ast, found.node) });
    for (const [name, phase] of lifecycle) {
      const m = found.info.methods.get(name);
      if (m) it.run(m, phase);
    }
    const { schemaOps } = it.finish();
    // Doctrine runs up() (connection calls happen then), then the addSql() queue, then the schema diff, then postUp().
    return { ops: [...it.immediate, ...it.queued, ...schemaOps, ...it.post], it };
  };

  const up = interpret(LIFECYCLE_UP);
  const notes = [...new Set(up.it.notes)];
  if (baseSet !== ALL_PLATFORMS) notes.push(`base class ${found.extendsName} is named for one platform: its statements are taken to run only there`);
  if (!hasDialect(baseSet, dialect)) notes.push(`runs only on other platforms than ${dialect} (base class ${found.extendsName})`);
  if (up.it.substitutions) notes.push(`${up.it.substitutions} statement(s) name tables or indexes through run-time helpers or prefixes; zdd read them with the bare names`);
  if (up.it.skippedOtherPlatforms) notes.push(`${up.it.skippedOtherPlatforms} statement(s) run only on SQLite or other platforms zdd does not lint`);
  if (found.extendsName !== 'AbstractMigration' && !found.info.methods.has('istransactional')) notes.push(`extends ${found.extendsName}: if that base class overrides isTransactional(), zdd does not see it`);

  const migration: Migration = {
    id: found.info.name,
    file: path,
    format: 'doctrine',
    transactional: isTransactional(found.info, dialect, code, path, lines),
    ops: up.ops,
    suppressions: [...phpSuppressions(ast, up.it.statementLines), ...up.it.suppressions],
  };
  if (found.info.methods.has('down')) {
    // down() is for the planner only: read on first use, from the source again, so that lint keeps no AST
    let down: Operation[] | undefined;
    Object.defineProperty(migration, 'down', {
      enumerable: true,
      configurable: true,
      get: () => (down ??= readDown(path, code, dialect)),
    });
  }
  if (notes.length) migration.notes = notes;
  return migration;
}

function readDown(path: string, code: string, dialect: Dialect): Operation[] {
  const parsed = parsePhp(code, path);
  if ('error' in parsed) return [];
  const found = findMigrationClass(parsed.ast);
  if (!found) return [];
  const it = new DoctrineInterpreter({ file: path, code, dialect, cls: found.info, baseSet: baseClassPlatforms(found.extendsName), lines: new LineMap(code), otherConstants: otherConstants(parsed.ast, found.node) });
  for (const [name, phase] of LIFECYCLE_DOWN) {
    const m = found.info.methods.get(name);
    if (m) it.run(m, phase);
  }
  const { schemaOps } = it.finish();
  return [...it.immediate, ...it.queued, ...schemaOps, ...it.post];
}

/**
 * Doctrine wraps a migration in a transaction unless isTransactional() returns false (the
 * `transactional` setting of doctrine_migrations only changes the generated template). A return
 * value that depends on the platform is evaluated for the dialect being linted.
 */
function isTransactional(cls: ClassInfo, dialect: Dialect, code: string, file: string, lines: LineMap): boolean {
  const m = cls.methods.get('istransactional');
  if (!m) return true;
  const it = new DoctrineInterpreter({ file, code, dialect, cls, baseSet: ALL_PLATFORMS, lines });
  const ret = ((m.body?.children ?? []) as PhpNode[]).find((s) => s.kind === 'return');
  if (!ret?.expr) return true;
  const c = it.evalCond(ret.expr);
  if (!c.exact) return true;
  return hasDialect(c.set, dialect);
}
