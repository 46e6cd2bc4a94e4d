import { describe, expect, it } from 'vitest';
import { replayHistory } from '../../src/cli/history.js';
import type { Migration, Operation } from '../../src/ir/types.js';

// earlier migrations as text (what the filter looks at) and the ops their reading gives
const op = (o: Record<string, unknown>): Operation => ({ source: { file: 'x', line: 1, col: 1 }, ...o }) as unknown as Operation;
const createTable = (table: string, columns: string[]): Operation => op({ kind: 'create-table', table, columns: columns.map((name) => ({ name })), constraints: [], indexes: [] });
const history: Record<string, { text: string; ops: Operation[] }> = {
  '001_users.php': { text: "Schema::create('users', fn ($t) => $t->string('locale'));", ops: [createTable('users', ['locale'])] },
  '002_posts.php': { text: "Schema::create('posts', fn ($t) => $t->string('summary'));", ops: [createTable('posts', ['summary'])] },
  '003_rename.php': { text: "Schema::rename('posts', 'articles');", ops: [op({ kind: 'rename-table', table: 'posts', newName: 'articles' })] },
  '004_tags.php': { text: "Schema::create('tags', fn ($t) => $t->string('label'));", ops: [createTable('tags', ['label'])] },
  '005_comments.php': { text: "Schema::create('comments', function ($t) { $t->foreignIdFor(Article::class); $t->timestamps(); });", ops: [createTable('comments', ['article_id', 'created_at', 'updated_at'])] },
};
const change = [op({ kind: 'drop-column', table: 'users', column: 'summary' })];

function replay(columns: string[]): { files: string[]; result: ReturnType<typeof replayHistory> } {
  const files: string[] = [];
  const result = replayHistory(change, Object.keys(history), (f) => history[f]!.text, (f) => {
    files.push(f);
    return { file: f, id: f, ops: history[f]!.ops } as unknown as Migration;
  }, { columns });
  return { files: files.sort(), result };
}

describe('the earlier migrations a destructive change needs replayed', () => {
  it("the change's tables, the migrations naming a targeted column, and the tables those touch (renamed later: the rename too)", () => {
    const { files, result } = replay(['summary']);
    // posts has a summary column and became articles: the code index must see articles as an owner
    expect(files).toEqual(['001_users.php', '002_posts.php', '003_rename.php']);
    expect([...result.names!]).toEqual(['users', 'posts', 'articles']);
    expect(result.columns).toEqual(['summary']);
  });

  it('picks a column a Blueprint helper makes by the helper or the stem: foreignIdFor(Article::class) for article_id, timestamps() for created_at', () => {
    // the stem `article` also picks the rename to articles, which brings posts along: more than needed, never less
    expect(replay(['article_id']).files).toEqual(['001_users.php', '002_posts.php', '003_rename.php', '005_comments.php']);
    expect(replay(['created_at']).files).toEqual(['001_users.php', '005_comments.php']);
  });

  it('replays everything for `id` (id() makes it in nearly every migration), saying why', () => {
    const { files, result } = replay(['id']);
    expect(files).toEqual(Object.keys(history).sort());
    expect(result.unspelled).toEqual(['id']);
    expect(result.names).toBeUndefined();
  });
});
