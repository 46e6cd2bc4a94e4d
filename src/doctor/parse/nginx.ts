import type { NginxDirective } from '../types.js';

/**
 * nginx configuration: directives (`name args…;`) and blocks (`name args… { … }`), as nginx's own
 * lexer reads them (ngx_conf_file.c): words separated by whitespace, `"…"`/`'…'` quoted strings with
 * backslash escapes, `#` comments, `${var}` inside words, and `*_by_lua_block { … }` bodies skipped as
 * raw code. Written here because the npm packages either keep no positions (nginx-conf) or mis-read
 * quoted braces (@webantic/nginx-config-parser); the syntax is small enough to get exactly right.
 */

interface Token {
  text: string;
  kind: 'word' | ';' | '{' | '}';
  line: number;
  col: number;
}

export interface NginxSyntaxError {
  message: string;
  line: number;
  col: number;
}

function tokenize(src: string): { tokens: Token[] } | { error: NginxSyntaxError } {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === ';' || c === '{' || c === '}') {
      tokens.push({ text: c, kind: c, line, col });
      i++;
      continue;
    }
    const startLine = line;
    let text = '';
    // a word: unquoted characters and quoted parts up to whitespace or ; { }
    while (i < n) {
      const d = src[i]!;
      if (d === '"' || d === "'") {
        const q = d;
        i++;
        let closed = false;
        while (i < n) {
          const e = src[i]!;
          if (e === '\\' && i + 1 < n) {
            const next = src[i + 1]!;
            text += next === q || next === '\\' ? next : `\\${next}`;
            i += 2;
            continue;
          }
          if (e === q) {
            closed = true;
            i++;
            break;
          }
          if (e === '\n') {
            line++;
            lineStart = i + 1;
          }
          text += e;
          i++;
        }
        if (!closed) return { error: { message: `unterminated ${q === '"' ? 'double' : 'single'}-quoted string`, line: startLine, col } };
        continue;
      }
      if (d === '\\' && i + 1 < n) {
        text += src[i + 1];
        i += 2;
        continue;
      }
      if (d === '$' && src[i + 1] === '{') {
        const end = src.indexOf('}', i);
        if (end === -1) return { error: { message: 'unterminated ${variable}', line, col: i - lineStart + 1 } };
        text += src.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{' || d === '}') break;
      text += d;
      i++;
    }
    tokens.push({ text, kind: 'word', line: startLine, col });
    // raw Lua/njs block bodies are not nginx syntax
    if (/_by_lua_block$|^js_body_filter_block$/.test(text) && tokens.length >= 1) {
      let j = i;
      while (j < n && src[j] !== '{' && src[j] !== ';') j++;
      if (src[j] === '{') {
        let depth = 0;
        const bodyLine = line;
        for (; j < n; j++) {
          const e = src[j]!;
          if (e === '"' || e === "'") {
            // a Lua string: braces inside it do not count
            const close = src.indexOf(e, j + 1);
            if (close !== -1) {
              for (let k = j; k < close; k++) if (src[k] === '\n') {
                line++;
                lineStart = k + 1;
              }
              j = close;
              continue;
            }
          }
          if (e === '\n') {
            line++;
            lineStart = j + 1;
          } else if (e === '{') depth++;
          else if (e === '}' && --depth === 0) break;
        }
        if (depth !== 0) return { error: { message: `unterminated ${text} body`, line: bodyLine, col } };
        tokens.push({ text: '{', kind: '{', line: bodyLine, col }, { text: '}', kind: '}', line, col: j - lineStart + 1 });
        i = j + 1;
      }
    }
  }
  return { tokens };
}

/** Parses an nginx config file; a syntax error comes back as a value. */
export function parseNginx(src: string): { directives: NginxDirective[] } | { error: NginxSyntaxError } {
  const t = tokenize(src);
  if ('error' in t) return t;
  const { tokens } = t;
  let pos = 0;
  const block = (depth: number, opener?: Token): { directives: NginxDirective[] } | { error: NginxSyntaxError } => {
    const out: NginxDirective[] = [];
    for (;;) {
      const tok = tokens[pos];
      if (!tok) {
        if (depth > 0) return { error: { message: `unexpected end of file, expecting "}" (block opened on line ${opener!.line})`, line: opener!.line, col: opener!.col } };
        return { directives: out };
      }
      if (tok.kind === '}') {
        if (depth === 0) return { error: { message: 'unexpected "}"', line: tok.line, col: tok.col } };
        pos++;
        return { directives: out };
      }
      if (tok.kind !== 'word') return { error: { message: `unexpected "${tok.text}"`, line: tok.line, col: tok.col } };
      const d: NginxDirective = { name: tok.text, args: [], line: tok.line, col: tok.col };
      pos++;
      for (;;) {
        const a = tokens[pos];
        if (!a) return { error: { message: `unexpected end of file, expecting ";" or "}" after "${d.name}"`, line: d.line, col: d.col } };
        if (a.kind === 'word') {
          d.args.push(a.text);
          pos++;
          continue;
        }
        if (a.kind === ';') {
          pos++;
          break;
        }
        if (a.kind === '{') {
          pos++;
          const inner = block(depth + 1, a);
          if ('error' in inner) return inner;
          d.block = inner.directives;
          break;
        }
        return { error: { message: `unexpected "}" after "${d.name}" (missing ";")`, line: a.line, col: a.col } };
      }
      out.push(d);
    }
  };
  return block(0);
}
