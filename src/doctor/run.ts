import type { ZddConfig } from '../lint/config.js';
import type { Finding, Severity } from '../lint/types.js';
import { ignoreProblem, parseIgnoreComment, suppresses, UNUSED_IGNORE, UNUSED_IGNORE_FIX, type IgnoreComment } from '../util/suppression.js';
import type { DeployProject, DeployRule } from './types.js';

/**
 * Runs the deploy rules over a project: config severities and "off", duplicate findings (the same
 * action reached through two flows) folded, `zdd-ignore` comments in the deploy files applied.
 */

interface Ignore extends IgnoreComment {
  /** The deploy file's path. */
  path: string;
  line: number;
  /** The line the comment applies to (the next code line, or its own line for a trailing comment). */
  target?: number;
  used: boolean;
}

const COMMENT = /(?:^|\s)(?:#|\/\/|;|\{\{--|\/\*|<!--|--)\s*(zdd-ignore.*?)(?:\s*--\}\}|\s*-->)?\s*$/;

/** `# zdd-ignore <rule>: reason` (any of the deploy files' comment markers) on the line before a finding, or at the end of its line. */
export function findIgnores(file: string, text: string): Ignore[] {
  const out: Ignore[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = COMMENT.exec(lines[i]!);
    if (!m) continue;
    const parsed = parseIgnoreComment(m[1]!);
    if (!parsed) continue;
    const own = lines[i]!.slice(0, lines[i]!.indexOf(m[1]!)).replace(/(#|\/\/|;|\{\{--|\/\*|<!--|--)\s*$/, '').trim();
    let target: number | undefined;
    if (own) target = i + 1;
    else {
      for (let j = i + 1; j < lines.length; j++) {
        const t = lines[j]!.trim();
        if (!t || /^(#|\/\/|;|\{\{--|\/\*|\*)/.test(t)) continue;
        target = j + 1;
        break;
      }
    }
    out.push({ ...parsed, path: file, line: i + 1, ...(target ? { target } : {}), used: false });
  }
  return out;
}

/** Words a reader put for what a file computes (a Makefile's `MAKE_DEPLOY_PATH`), per file, mapped back to what the user wrote (`$(DEPLOY_PATH)`). */
function writtenText(project: DeployProject): Map<string, (s: string) => string> {
  const byFile = new Map<string, Map<string, string>>();
  for (const flow of project.flows) {
    if (!flow.placeholders?.size) continue;
    const map = byFile.get(flow.file) ?? new Map<string, string>();
    for (const [k, v] of flow.placeholders) map.set(k, v);
    byFile.set(flow.file, map);
  }
  const out = new Map<string, (s: string) => string>();
  for (const [file, map] of byFile) {
    // the longest placeholder a word starts with: `$(A)_x` became MAKE_A_x
    const words = [...map.keys()].sort((a, b) => b.length - a.length);
    const re = new RegExp(words.map((w) => w.replace(/[$()]/g, '\\$&')).join('|'), 'g');
    out.set(file, (s) => s.replace(re, (w) => map.get(w)!));
  }
  return out;
}

export function runDoctor(project: DeployProject, rules: readonly DeployRule[], config: ZddConfig): Finding[] {
  const levels = config.rules ?? {};
  const written = writtenText(project);
  const raw: Finding[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (levels[rule.id] === 'off') continue;
    for (const f of rule.check(project)) {
      const level = levels[rule.id];
      const severity: Severity = level && level !== 'off' ? level : f.severity ?? rule.defaultSeverity;
      const text = written.get(f.file) ?? ((x: string): string => x);
      const finding: Finding = {
        rule: rule.id,
        severity,
        message: text(f.message),
        fix: text(f.fix),
        location: { file: f.file, line: f.line, col: f.col ?? 1 },
        target: { table: '', subject: text(f.subject) },
        migration: '',
      };
      const key = `${rule.id}\0${f.file}\0${f.line}\0${finding.location.col}`;
      if (seen.has(key)) continue;
      seen.add(key);
      raw.push(finding);
    }
  }

  const ignores = new Map<string, Ignore[]>();
  for (const f of project.files) {
    if (!f.text.includes('zdd-ignore')) continue;
    const list = findIgnores(f.path, f.text);
    if (list.length) ignores.set(f.path, list);
  }
  const kept = raw.filter((f) => {
    const list = ignores.get(f.location.file) ?? [];
    const hit = list.find((s) => (s.file || s.target === f.location.line) && suppresses(s, f.rule));
    if (hit) hit.used = true;
    return !hit;
  });

  const unusedLevel = levels[UNUSED_IGNORE];
  if (unusedLevel !== 'off') {
    const check = { known: new Set(rules.map((r) => r.id)), command: 'zdd doctor', unit: 'line' } as const;
    for (const list of ignores.values()) {
      for (const s of list) {
        const message = ignoreProblem(s, { used: s.used, placed: s.target !== undefined }, check);
        if (!message) continue;
        kept.push({
          rule: UNUSED_IGNORE,
          severity: unusedLevel ?? 'warning',
          message,
          fix: UNUSED_IGNORE_FIX,
          location: { file: s.path, line: s.line, col: 1 },
          target: { table: '', subject: 'zdd-ignore' },
          migration: '',
        });
      }
    }
  }
  return kept.sort((a, b) => (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : a.location.line - b.location.line || a.location.col - b.location.col || (a.rule < b.rule ? -1 : 1)));
}
