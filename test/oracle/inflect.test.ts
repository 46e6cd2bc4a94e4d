import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plural, singular, tableForModel } from '../../src/util/inflect.js';

/**
 * Oracle: the table names zdd guesses for models (the migration reader and the code index share
 * src/util/inflect.ts) are the ones Laravel's own Str functions give (Debian's php-laravel-framework).
 */

const AUTOLOAD = '/usr/share/php/Illuminate/autoload.php';
const hasLaravel = spawnSync('php', ['--version']).status === 0 && existsSync(AUTOLOAD);

const MODELS = ['User', 'UserProfile', 'OrderItem', 'Category', 'Person', 'Child', 'Leaf', 'Status', 'Address', 'Quiz', 'Bus', 'Alias', 'Music', 'Advice', 'Content', 'Firmware', 'Sms', 'Equipment', 'News', 'Series', 'Datum', 'Medium', 'Criterion', 'Index', 'Matrix', 'Vertex', 'Hero', 'Potato', 'Echo', 'Cactus', 'Analysis', 'Crisis', 'Cafe', 'Chef', 'Roof', 'Belief', 'Knife', 'Wife', 'Half', 'Movie', 'Cookie', 'BlogPost', 'TeamUser', 'UserMusic', 'Box', 'Church', 'Day', 'Key', 'Fly'];
const WORDS = ['user', 'blog_post', 'user_data', 'order_news', 'category', 'status', 'person', 'media', 'information', 'wife'];
const TABLES = ['users', 'categories', 'statuses', 'addresses', 'people', 'children', 'leaves', 'data', 'news', 'series', 'quizzes', 'buses', 'boxes', 'churches', 'days', 'flies', 'user_profiles', 'movies', 'cookies'];

describe.skipIf(!hasLaravel)('inflection oracle: zdd names tables as Laravel does', () => {
  it('model → table (Str::snake(Str::pluralStudly())), plural and singular', () => {
    const php = `require '${AUTOLOAD}'; use Illuminate\\Support\\Str; $in = json_decode($argv[1], true);
      echo json_encode([array_map(fn ($m) => Str::snake(Str::pluralStudly($m)), $in[0]), array_map(fn ($w) => Str::plural($w), $in[1]), array_map(fn ($t) => Str::singular($t), $in[2])]);`;
    const [tables, plurals, singulars] = JSON.parse(execFileSync('php', ['-r', php, JSON.stringify([MODELS, WORDS, TABLES])], { encoding: 'utf8' })) as string[][];
    expect(MODELS.map(tableForModel)).toEqual(tables);
    expect(WORDS.map(plural)).toEqual(plurals);
    expect(TABLES.map(singular)).toEqual(singulars);
  });
});
