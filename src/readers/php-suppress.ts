import type { Suppression } from '../ir/types.js';
import { commentsOf, type PhpNode } from '../php/ast.js';
import { parseIgnoreComment } from '../util/suppression.js';

/**
 * `// zdd-ignore <rule>[, <rule>]: reason` in PHP migrations: a comment applies to the statement
 * (call) that starts on the next code line, or to the statement on its own line when it trails it.
 * `statementLines` maps each statement index to the line it starts on (and ends on).
 */
export function phpSuppressions(ast: PhpNode, statementLines: ReadonlyMap<number, { start: number; end: number }>): Suppression[] {
  const out: Suppression[] = [];
  const comments = commentsOf(ast);
  const commentLines = new Set<number>();
  for (const c of comments) for (let l = c.line; l <= c.endLine; l++) commentLines.add(l);
  for (const c of comments) {
    if (!c.text.includes('zdd-ignore')) continue;
    const parsed = parseIgnoreComment(c.text.replace(/^\s*(?:\/\/|#|\/\*+)\s*/, '').replace(/\*\/\s*$/, ''));
    if (!parsed) continue;
    const s: Suppression = { ...parsed, line: c.line };
    if (!parsed.file) {
      // trailing: a statement that ends on the comment's line and starts before it
      let target: number | undefined;
      for (const [idx, lines] of statementLines) if (lines.end === c.line && lines.start <= c.line) target = idx;
      if (target === undefined) {
        // the next code line after the comment (skipping blank and comment lines)
        let best: { idx: number; start: number } | undefined;
        for (const [idx, lines] of statementLines) {
          if (lines.start > c.endLine && (!best || lines.start < best.start)) best = { idx, start: lines.start };
        }
        if (best) {
          let gapIsComments = true;
          for (let l = c.endLine + 1; l < best.start; l++) if (!commentLines.has(l) && l - c.endLine > 2) gapIsComments = false;
          if (gapIsComments) target = best.idx;
        }
      }
      if (target !== undefined) {
        s.statement = target;
        // every statement nested in the target's lines (the calls inside a Schema::table closure)
        const t = statementLines.get(target)!;
        const nested = [...statementLines].filter(([idx, l]) => idx !== target && l.start >= t.start && l.end <= t.end).map(([idx]) => idx);
        if (nested.length) s.statements = nested;
      }
    }
    out.push(s);
  }
  return out;
}
