import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

describe('shallow-health-check', () => {
  it("fires on Laravel's /up, a constant route and an nginx return 200", async () => {
    const { findings } = await doctorOn(
      {
        'bootstrap/app.php': "<?php\nreturn Application::configure(basePath: dirname(__DIR__))\n    ->withRouting(\n        web: __DIR__.'/../routes/web.php',\n        health: '/up',\n    )->create();\n",
        'routes/api.php': "<?php\nuse Illuminate\\Support\\Facades\\Route;\n\nRoute::get('healthz', fn () => ['status' => 'ok']);\n",
        'nginx/site.conf': 'server {\n    location = /health {\n        return 200 "ok";\n    }\n}\n',
      },
      { rule: 'shallow-health-check' },
    );
    expect(findings.map((f) => `${f.location.file}:${f.location.line}:${f.location.col}`)).toEqual(['bootstrap/app.php:5:9', 'nginx/site.conf:3:9', 'routes/api.php:4:1']);
    expect(findings[0]!.message).toContain("Laravel's health route /up only proves the framework boots");
    expect(findings[1]!.message).toContain('nginx answers /health itself');
    expect(findings[1]!.fix.split('\n')[1]).toBe('location = /health { try_files $uri /index.php?$query_string; }');
    expect(findings[2]!.message).toContain('the /healthz route returns without touching the database or the cache');
    expect(findings[2]!.fix).toContain("DB::select('select 1');");
  });

  it('stays quiet on a route that checks the database and the cache, and on controllers', async () => {
    const { findings } = await doctorOn(
      {
        'routes/web.php': `<?php
use Illuminate\\Support\\Facades\\Route;

Route::get('/health', function () {
    DB::connection()->getPdo();
    Cache::store('redis')->get('ping');
    return response()->noContent();
});
Route::get('/status', [StatusController::class, 'show']);
`,
      },
      { rule: 'shallow-health-check' },
    );
    expect(findings).toEqual([]);
  });
});

describe('shallow-health-check: liveness and ping', () => {
  it('leaves liveness and ping endpoints alone', async () => {
    const { findings } = await doctorOn(
      { 'routes/api.php': "<?php\nRoute::get('ping', static fn () => null);\nRoute::get('/livez', fn () => 'ok');\nRoute::get('/readyz', fn () => 'ok');\n" },
      { rule: 'shallow-health-check' },
    );
    expect(findings.map((f) => f.location.line)).toEqual([4]);
  });
});
