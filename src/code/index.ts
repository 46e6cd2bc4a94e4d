import type { Release } from '../discover/release.js';
import { oneLine } from '../util/text.js';
import { ClassMap, scanPhpClasses, type ClassInfo } from './classmap.js';
import { codeFileKind, decodeCode, isIndexed, isProductionPath, NameScan, pathFilter, Prefilter } from './files.js';
import { readXmlMapping, readYamlMapping, type EntityMapping } from './mappings.js';
import { singular } from '../util/inflect.js';
import { camel, modelNameGuess, shortClass } from './names.js';
import { analyzePhp, type AnalyzeContext, type FoundRef, type Targets } from './php-refs.js';
import { Recorder, sameAnswers, type AnalysisResult, type ScannedFile } from './memo.js';
import type { CachedFile } from './cache.js';
import { wordGrams } from './grams.js';
import { sliceForParse, type SliceInfo } from './slice.js';
import { templateReferences } from './templates.js';
import type { CodeReference, IndexOptions, ReferenceTarget } from './types.js';

export type { CodeReference, Confidence, IndexOptions, ReferenceKind, ReferenceTarget } from './types.js';

/** What one indexing run did, for --verbose and the benchmark. */
export interface IndexStats {
  files: number;
  /** Files that passed the text prefilter and were parsed. */
  candidates: number;
  /** Files read a second time for model class names found to map a target table. */
  secondPass: number;
  references: number;
  /** Files that could not be parsed (skipped, with the reason). */
  unparsable: Array<{ file: string; line: number; message: string }>;
  ms: number;
  /** Of `ms`: listing, reading and prefiltering (both passes); slicing; parsing; analysing. */
  readMs?: number;
  sliceMs?: number;
  parseMs?: number;
  analyzeMs?: number;
  /** PHP files whose analysis the other release's run had done (the same text, the same answers from the class map). */
  reused?: number;
  /** PHP candidates not parsed: they name a target only in comments (see below). */
  commentOnly?: number;
  /** PHP candidates not parsed: their sliced code names a shared column but none of its table's tie names. */
  tiedOut?: number;
  /** Files not read: git says the other release holds them alike, and its first pass over them was taken. */
  sharedFiles?: number;
  /** Files whose first pass came from the index cache (cache.ts); of those, files not read at all (their name filter rules out every name, or they were read for the same names before and did not match). */
  cachedFiles?: number;
  unread?: number;
  /** PHP candidates whose analysis came from the index cache. */
  cachedAnalyses?: number;
  /** PHP bytes of the candidates, and what was left to parse after slicing (measured with --verbose). */
  phpBytes?: number;
  parsedBytes?: number;
}

/**
 * The names through which code can tie a column to `table`: the table, its model/entity classes
 * (and the camel-case variable names the analyser takes as hints), and relationship methods leading
 * to them. Every path by which the PHP analyser attributes a shared column name to a table goes
 * through one of these names, or through SQL naming the table.
 */
function tieNeedles(table: string, classes: ClassMap): string[] {
  const names = new Set<string>([table, singular(table)]);
  const guess = modelNameGuess(table);
  names.add(guess);
  names.add(camel(guess));
  const tables = new Set([table]);
  for (const c of classes.classesOfTables(tables)) {
    const short = shortClass(c.fqcn);
    names.add(short);
    names.add(short.charAt(0).toLowerCase() + short.slice(1));
  }
  for (const r of classes.relationsTo(tables)) names.add(r);
  return [...names].filter((n) => n.length > 1);
}

/** A file's first pass as memo.ts shares it and cache.ts keeps it, without its empty parts. */
function firstPassOf(classes: readonly ClassInfo[] | undefined, mappings: readonly EntityMapping[] | undefined, grams?: Int32Array, text?: string): ScannedFile {
  return { ...(classes?.length ? { classes } : {}), ...(mappings ? { mappings } : {}), ...(grams ? { grams } : {}), ...(text !== undefined ? { text } : {}) };
}

/**
 * A second, stricter prefilter: a file is kept when it could reference some target — a table
 * target's name, or a column target's name together with (for a column other tables share) one of
 * the table's tie names. Undefined when no target needs it. One scan of the file finds every name
 * (`NameScan`); `extra` names (classes the second pass found) keep a file too.
 */
function tieFilter(targets: readonly ReferenceTarget[], classes: ClassMap, owners: IndexOptions['columnOwners'], extra: readonly string[]): { keep: (text: string) => boolean; signature: string } | undefined {
  const scan = new NameScan();
  const checks: Array<{ names: number[]; tie?: number[] }> = [];
  let needed = false;
  const ties = new Map<string, number[]>();
  const signature: string[] = [];
  for (const t of targets) {
    const names = scan.targetIds(t);
    const o = t.column ? owners?.(t.column) : undefined;
    const shared = o !== undefined && o.size > 0 && !(o.size === 1 && o.has(t.table));
    signature.push(`${t.table}.${t.column ?? ''}${shared ? '*' : ''}`);
    if (!shared) {
      checks.push({ names });
      continue;
    }
    needed = true;
    let tie = ties.get(t.table);
    if (!tie) {
      const needles = tieNeedles(t.table, classes);
      signature.push(`${t.table}:${[...needles].sort().join(',')}`);
      ties.set(t.table, (tie = needles.map((n) => scan.id(n, false))));
    }
    checks.push({ names, tie });
  }
  if (!needed) return undefined;
  const extraIds = extra.map((n) => scan.id(n, true));
  const any = (found: Uint8Array, ids: readonly number[]): boolean => ids.some((i) => found[i] === 1);
  const keep = (found: Uint8Array): boolean => any(found, extraIds) || checks.some((c) => any(found, c.names) && (!c.tie || any(found, c.tie)));
  return { keep: (text) => keep(scan.scan(text, keep)), signature: [...signature, ...[...extra].sort()].join(' ') };
}

/**
 * Which lines of a release use the target tables/columns. Three steps, cheapest first:
 * 1. read every code file once (streamed from disk or git objects): a regex scan records classes
 *    (models, entities, their tables) and a byte search keeps only files that contain a target name;
 * 2. if a model or entity maps a target table under a class name the prefilter did not guess, read
 *    the other files again for that name;
 * 3. parse the candidates (php-parser) and follow types to tie each name to its table.
 */
export async function findReferences(release: Release, targets: readonly ReferenceTarget[], opts: IndexOptions & { stats?: IndexStats } = {}): Promise<CodeReference[]> {
  const started = performance.now();
  const stats: IndexStats = opts.stats ?? { files: 0, candidates: 0, secondPass: 0, references: 0, unparsable: [], ms: 0 };
  if (!targets.length) return [];
  const wanted = pathFilter(opts.roots, opts.ignore);
  const files = (await release.list()).filter((p) => isIndexed(p) && !opts.exclude?.has(p) && wanted(p));
  stats.files = files.length;

  const prefilter = new Prefilter(targets);
  /** The prefilter's pattern: what the cache's misses are recorded under. */
  const pattern = prefilter.pattern().source;
  const classes = new ClassMap();
  // the files' text (decoded once, for the scans, the slicer and the parser)
  const candidates = new Map<string, string>();
  const mappings = new Map<string, EntityMapping[]>();
  // A file git knows both releases hold alike is read and scanned once: the first release to read
  // records its first pass over such files, the other one takes that (memo.ts).
  const share = opts.shared;
  const role = share ? await share.readRole() : 'none';
  // The cache of earlier runs (cache.ts): a file it knows is not scanned again, and not even read
  // when its name filter (grams.ts) rules out every target name.
  const cache = opts.cache;
  const ids = cache && release.identify ? await release.identify(files) : undefined;
  /** Trigram filters of this release's files, when the cache is on (the second pass reads only those that may match). */
  const gramsOf = new Map<string, Int32Array>();
  /** Files whose first pass came from the cache: read, if at all, for the prefilter only. */
  const known = new Map<string, CachedFile>();
  /** Of those, files that matched the prefilter but not the tie filter in an earlier run: read only if this run's tie names differ. */
  const deferred = new Set<string>();
  // Each file's classes and Doctrine mappings, however found (scanned, cached, taken from the other
  // release): added to the class map in the release's file order once all are in, so that which of
  // two declarations of a class comes first does not depend on what was scanned this time.
  const firstPass = new Map<string, { classes?: readonly ClassInfo[]; mappings?: readonly EntityMapping[] }>();
  try {
    let toRead = files;
    if (role === 'replay') {
      toRead = [];
      for (const path of files) {
        const f = share!.scannedFile(path);
        if (!f) {
          toRead.push(path);
          continue;
        }
        firstPass.set(path, f);
        if (f.grams) gramsOf.set(path, f.grams);
        if (f.text !== undefined) candidates.set(path, f.text);
        stats.sharedFiles = (stats.sharedFiles ?? 0) + 1;
      }
    }
    if (ids) {
      const rest: string[] = [];
      for (const path of toRead) {
        const id = ids.get(path);
        const f = id === undefined ? undefined : cache!.file(id, path);
        if (!f) {
          rest.push(path);
          continue;
        }
        stats.cachedFiles = (stats.cachedFiles ?? 0) + 1;
        firstPass.set(path, f);
        gramsOf.set(path, f.grams);
        if (prefilter.mayMatch(f.grams) && !f.misses?.includes(pattern)) {
          known.set(path, f);
          // a file the tie filter dropped last time (under the same names) waits for this run's tie
          // names (below); one the other release takes from this one is read now
          if (f.misses?.some((m) => m.startsWith(`${pattern}\u0000`)) && !(role === 'record' && share!.same!(path))) deferred.add(path);
          else rest.push(path);
        } else {
          stats.unread = (stats.unread ?? 0) + 1;
          if (role === 'record' && share!.same!(path)) share!.record(path, firstPassOf(f.classes, f.mappings, f.grams));
        }
      }
      toRead = rest;
    }
    await release.read(toRead, (path, data) => {
      const kind = codeFileKind(path);
      const text = decodeCode(data);
      // the other release takes this file's first pass (memo.ts)
      const recording = role === 'record' && share!.same!(path);
      const hit = prefilter.matchesText(text);
      if (hit) candidates.set(path, text);
      const cached = known.get(path);
      if (cached) {
        // its filter let the names through, its text does not have them: the next run need not read it
        if (!hit) cache!.addMiss(ids!.get(path)!, pattern);
        if (recording) share!.record(path, firstPassOf(cached.classes, cached.mappings, cached.grams, hit ? text : undefined));
        return;
      }
      let scanned: ClassInfo[] | undefined;
      let found: EntityMapping[] | undefined;
      if (kind === 'php') scanned = scanPhpClasses(path, text);
      else if (kind === 'doctrine-xml' || kind === 'doctrine-yaml') found = kind === 'doctrine-xml' ? readXmlMapping(text) : readYamlMapping(text);
      firstPass.set(path, { ...(scanned ? { classes: scanned } : {}), ...(found ? { mappings: found } : {}) });
      let grams: Int32Array | undefined;
      const id = ids?.get(path);
      if (id !== undefined) {
        grams = wordGrams(data);
        gramsOf.set(path, grams);
        cache!.setFile(id, { ...firstPassOf(scanned, found), grams });
      }
      if (recording) share!.record(path, firstPassOf(scanned, found, grams, hit ? text : undefined));
    }, { transient: true });
  } finally {
    if (role === 'record') share!.recorded();
  }
  for (const path of files) {
    const f = firstPass.get(path);
    if (!f) continue;
    // copies: the class map changes its records (a Doctrine mapping marks a class an entity)
    if (f.classes?.length) classes.addScanned(f.classes);
    if (f.mappings) {
      for (const m of f.mappings) classes.addMapping(m.entity, m.table, path, m.line);
      mappings.set(path, [...f.mappings]);
    }
  }

  // Second pass: files the prefilter could not pick by the targets' own names — code naming a
  // target table's model under a class name the prefilter did not guess, and models whose
  // relationships use a target key by convention only.
  const tableTargets = new Set(targets.filter((t) => !t.column).map((t) => t.table));
  const extra = new Prefilter([]);
  let added = false;
  if (tableTargets.size) {
    for (const c of classes.classesOfTables(tableTargets)) {
      if (!prefilter.names.includes(shortClass(c.fqcn))) added = extra.add(shortClass(c.fqcn), true) || added;
    }
  }
  const conventional = new Set([...tableTargets, ...targets.filter((t) => t.column && /_(?:id|type)$/.test(t.column)).map((t) => t.table)]);
  // every file declaring a relationship that can use a target key by convention, and those of them the prefilter did not keep
  const relationAll = new Set(conventional.size ? classes.relationshipFiles(conventional) : []);
  // and Doctrine entities whose associations map a target join column by name alone
  for (const f of classes.joinColumnFiles(targets)) relationAll.add(f);
  // (a deferred file is a candidate the cache has not read yet: below)
  const relationFiles = new Set([...relationAll].filter((f) => !candidates.has(f) && !deferred.has(f)));
  if (added || relationFiles.size) {
    // with the cache on, a file whose name filter rules out the new names is not read again
    const rest = files.filter((f) => !candidates.has(f) && !deferred.has(f) && (relationFiles.has(f) || (added && (!gramsOf.has(f) || extra.mayMatch(gramsOf.get(f)!)))));
    await release.read(rest, (path, data) => {
      const text = decodeCode(data);
      if (relationFiles.has(path) || extra.matchesText(text)) {
        candidates.set(path, text);
        stats.secondPass++;
      }
    }, { transient: true });
  }
  // A column name other tables also have (`company_id`, `status`) counts only where the code ties it
  // to the target table; files that mention none of the table's names cannot do that (see
  // tieNeedles), so they are not parsed.
  const tie = tieFilter(targets, classes, opts.columnOwners, extra.names);
  const tieMiss = `${pattern}\u0000${tie?.signature ?? ''}`;
  if (deferred.size) {
    // matched the prefilter before (the same text, the same names): read those the tie filter may keep now
    const again = [...deferred].filter((path) => !tie || !known.get(path)!.misses!.includes(tieMiss));
    stats.unread = (stats.unread ?? 0) + deferred.size - again.length;
    await release.read(again, (path, data) => {
      const text = decodeCode(data);
      if (prefilter.matchesText(text)) candidates.set(path, text);
    }, { transient: true });
  }
  if (tie) {
    for (const [path, text] of candidates) {
      if (relationFiles.has(path) || tie.keep(text)) continue;
      candidates.delete(path);
      // the next run under the same names need not read it
      const id = ids?.get(path);
      if (id !== undefined) cache!.addMiss(id, tieMiss);
    }
  }
  stats.candidates = candidates.size;
  stats.readMs = performance.now() - started;

  const t: Targets = { tables: tableTargets, columns: new Map() };
  for (const target of targets) {
    if (!target.column) continue;
    const set = (t.columns as Map<string, Set<string>>).get(target.column) ?? new Set<string>();
    set.add(target.table);
    (t.columns as Map<string, Set<string>>).set(target.column, set);
  }
  const modelByName = new Map<string, string[]>();
  for (const target of targets) modelByName.set(singular(target.table).replace(/_/g, '').toLowerCase(), [target.table]);
  for (const m of classes.models()) {
    const key = shortClass(m.fqcn).toLowerCase();
    const tables = classes.tablesOf(m.fqcn);
    modelByName.set(key, [...new Set([...(modelByName.get(key) ?? []), ...tables])]);
  }

  const out: CodeReference[] = [];
  const columns = new Set(t.columns.keys());
  // what else a cached analysis must have run with (cache.ts)
  // (and the tie names: a file left without them once sliced has an empty analysis under them)
  const analysisKey = [opts.dialect ?? 'mysql', opts.slice === false ? 'whole' : 'sliced', opts.columnOwners ? 'owners' : 'no owners', tie?.signature ?? '', ...targets.map((x) => `${x.table}.${x.column ?? ''}`).sort()].join('\u0000');
  const timing: { parse: number; analyze: number; byPhpParser?: number } = { parse: 0, analyze: 0 };
  // what the slicer keeps: code naming a target (or a class the second pass found)
  const relevance = new RegExp([pattern, ...(extra.names.length ? [extra.pattern().source] : [])].join('|'));
  let sliceMs = 0;
  // a file both releases hold is analysed once (memo.ts)
  for (const [file, code] of [...candidates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const kind = codeFileKind(file)!;
    const production = isProductionPath(file, opts.nonProductionDirs);
    let found: FoundRef[] = [];
    if (kind === 'php') {
      stats.phpBytes = (stats.phpBytes ?? 0) + code.length;
      // (a file declaring a relationship that can use a target key by convention is analysed even when it names no target: relationAll, which other files' classes decide)
      const context = `${production ? 1 : 0}${relationAll.has(file) ? 'R' : ''}${relevance.source}`;
      let r = share?.reuse(code, context, classes, modelByName, opts.columnOwners);
      if (r) stats.reused = (stats.reused ?? 0) + 1;
      // the cache's analyses of this file: under the same targets, dialect and relevance, and only
      // when every question they asked gets the same answer in this run
      const id = cache ? ids?.get(file) : undefined;
      const cacheKey = id === undefined ? '' : `${context}\u0000${analysisKey}`;
      if (!r && id !== undefined) {
        r = cache!.analyses(id, cacheKey).find((e) => sameAnswers(e.questions, classes, modelByName, opts.columnOwners))?.result;
        if (r) stats.cachedAnalyses = (stats.cachedAnalyses ?? 0) + 1;
      }
      if (!r) {
        const s0 = performance.now();
        const info: SliceInfo = { codeHits: -1 };
        const parseCode = opts.slice === false ? code : sliceForParse(code, relevance, info);
        sliceMs += performance.now() - s0;
        const recorder = share || id !== undefined ? new Recorder(classes, modelByName, opts.columnOwners) : undefined;
        const remember = (result: AnalysisResult): void => {
          if (!recorder) return;
          share?.remember(code, context, recorder, result);
          if (id !== undefined) cache!.addAnalysis(id, cacheKey, { context, questions: recorder.questions, result });
        };
        // A file that names a target only in comments (API docblocks, prose) has nothing to
        // analyse: every reference the analyser reports is code naming a target, a mapping
        // docblock, or a relationship by convention (relationAll).
        if (info.codeHits === 0 && !relationAll.has(file)) {
          stats.commentOnly = (stats.commentOnly ?? 0) + 1;
          r = { refs: [] };
          remember(r);
        } else if (tie && parseCode !== code && !relationAll.has(file) && !tie.keep(parseCode)) {
          // The analyser sees the sliced code only, and every way it ties a shared column name to
          // its table goes through a tie name in that code (tieNeedles): when the slicer has left
          // none, the file names the column only on other tables' rows. Not shared with the other
          // release: its tie names may differ (another model for the table); it decides itself. The
          // cache keeps it under the tie names (cacheKey).
          stats.tiedOut = (stats.tiedOut ?? 0) + 1;
          r = { refs: [] };
          if (id !== undefined) cache!.addAnalysis(id, cacheKey, { context, questions: [], result: r });
        } else {
          const ctx: AnalyzeContext = {
            file,
            code: parseCode,
            production,
            classes: recorder ?? classes,
            targets: t,
            dialect: opts.dialect ?? 'mysql',
            modelByName: recorder ?? modelByName,
            timing,
            ...(opts.columnOwners ? { columnOwners: recorder?.owners ?? opts.columnOwners } : {}),
          };
          if (opts.verbose) stats.parsedBytes = (stats.parsedBytes ?? 0) + parseCode.replace(/\n+/g, '\n').length;
          r = analyzePhp(ctx);
          // slicing is a speed-up, never a reason to miss a file: if the sliced code does not parse, parse it whole
          if ('error' in r && parseCode !== code) r = analyzePhp({ ...ctx, code });
          remember(r);
        }
      }
      if ('error' in r) {
        stats.unparsable.push({ file, line: r.line, message: r.error });
        opts.verbose?.(`code index (${release.side} release): ${file}:${r.line}: cannot parse (${r.error}); skipped`);
        continue;
      }
      found = r.refs;
    } else if (kind === 'blade') {
      // one reference per line and column, however often the line uses it (as for PHP code)
      const seen = new Set<string>();
      for (const r of templateReferences(code, columns)) {
        const hinted = modelByName.get(r.variable.toLowerCase()) ?? modelByName.get(r.variable.toLowerCase().replace(/s$/, ''));
        for (const table of t.columns.get(r.column) ?? []) {
          const owners = opts.columnOwners?.(r.column);
          const key = `${r.line}\u0000${table}\u0000${r.column}`;
          if (seen.has(key) || !(hinted ? hinted.includes(table) : owners?.size === 1 && owners.has(table))) continue;
          seen.add(key);
          found.push({ line: r.line, table, column: r.column, confidence: 'low', kind: 'template' });
        }
      }
    } else {
      for (const m of mappings.get(file) ?? []) {
        const tables = classes.tablesOf(m.entity);
        for (const table of tables) {
          if (tableTargets.has(table)) found.push({ line: m.line, table, confidence: production ? 'high' : 'low', kind: 'entity-mapping' });
          for (const c of m.columns) {
            for (const name of c.names) if (t.columns.get(name)?.has(table)) found.push({ line: c.line, table, column: name, confidence: production ? 'high' : 'low', kind: 'entity-mapping' });
          }
        }
        for (const j of m.joinTables) if (tableTargets.has(j.name)) found.push({ line: j.line, table: j.name, confidence: production ? 'high' : 'low', kind: 'entity-mapping' });
      }
    }
    if (!found.length) continue;
    const lines = code.split('\n');
    for (const r of found) {
      out.push({
        release: release.side,
        file,
        line: r.line,
        text: oneLine(lines[r.line - 1] ?? '', 160),
        table: r.table,
        ...(r.column !== undefined ? { column: r.column } : {}),
        confidence: production ? r.confidence : 'low',
        production,
        kind: r.kind,
      });
    }
  }
  const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  out.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.table, b.table) || cmp(a.column ?? '', b.column ?? ''));
  stats.references = out.length;
  stats.sliceMs = sliceMs;
  stats.parseMs = timing.parse;
  stats.analyzeMs = timing.analyze;
  stats.ms = performance.now() - started;
  const ms = (n: number | undefined): string => (n ?? 0).toFixed(0);
  opts.verbose?.(
    `code index (${release.side} release, ${release.label}): ${stats.files} files, ${stats.candidates} parsed (${stats.reused ?? 0} reused, ${stats.commentOnly ?? 0} named in comments only${stats.tiedOut ? `, ${stats.tiedOut} not tied to the table once sliced` : ''}), ${out.length} references in ${ms(stats.ms)} ms (read ${ms(stats.readMs)}, slice ${ms(sliceMs)}, parse ${ms(timing.parse)}${timing.byPhpParser ? ` (${timing.byPhpParser} by php-parser)` : ''}, analyse ${ms(timing.analyze)}; ${((stats.parsedBytes ?? 0) / 1024).toFixed(0)} of ${((stats.phpBytes ?? 0) / 1024).toFixed(0)} KB parsed${stats.sharedFiles ? `; ${stats.sharedFiles} files read once for both releases` : ''}${opts.cache ? `; cache: ${stats.cachedFiles ?? 0} files known, ${stats.unread ?? 0} not read, ${stats.cachedAnalyses ?? 0} analyses reused` : ''})`,
  );
  return out;
}
