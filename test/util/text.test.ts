import { describe, expect, it } from 'vitest';
import { oneLine } from '../../src/util/text.js';

/** What oneLine returned before it flattened only the start of long texts. */
const reference = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

describe('oneLine', () => {
  it('collapses whitespace and cuts long text', () => {
    expect(oneLine('  ALTER TABLE users\n  ADD COLUMN a int  ')).toBe('ALTER TABLE users ADD COLUMN a int');
    expect(oneLine('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('gives what flattening the whole text gives, for long texts cut anywhere', () => {
    // a mysqldump CREATE TABLE: indented lines, long runs of spaces and newlines, text just past the limits
    const column = (i: number) => `  \`column_${i}\` varchar(191) COLLATE utf8mb4_unicode_ci DEFAULT NULL,\n`;
    const dump = `CREATE TABLE \`clients\` (\n${Array.from({ length: 40 }, (_, i) => column(i)).join('')}  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB;`;
    const texts = [dump, `\n\n${' '.repeat(2000)}${dump}`, `${'a '.repeat(900)}`, `${' \n'.repeat(700)}x`, `${'word'.repeat(100)}${' '.repeat(1500)}end`];
    for (let pad = 0; pad < 40; pad++) texts.push(`${' '.repeat(pad)}${'ab '.repeat(540 + pad)}${'\t'.repeat(pad)}`, `${'x'.repeat(398 + (pad % 5))}${' '.repeat(1700)}`);
    for (const text of texts) for (const max of [10, 160, 400]) expect(oneLine(text, max)).toBe(reference(text, max));
  });
});
