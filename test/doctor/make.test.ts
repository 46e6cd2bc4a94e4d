import { describe, expect, it } from 'vitest';
import { doctorOn } from '../helpers.js';

/** Each target's commands as [argv, line, col]. */
async function makeTargets(makefile: string): Promise<{ targets: Record<string, Array<[string, number, number]>>; problems: string[] }> {
  const { project, problems } = await doctorOn({ Makefile: makefile });
  const targets: Record<string, Array<[string, number, number]>> = {};
  for (const f of project.flows) targets[f.name.replace('Makefile: make ', '')] = f.actions.map((a) => [a.argv.join(' '), a.loc.line, a.loc.col]);
  return { targets, problems: problems.map((p) => `${p.file}:${p.line}: ${p.message}`) };
}

describe('Makefiles: recipes expanded as GNU make expands them', () => {
  it('a make function in a variable is one opaque word, not shell syntax ($(if …) is not a shell if)', async () => {
    const { targets, problems } = await makeTargets(
      [
        'AVAILABLE_ENV := prod dev',
        'override ENV := $(if $(filter $(ENV),$(AVAILABLE_ENV)),$(ENV),prod)',
        'RUNNING = $(shell docker compose ps -q 2>/dev/null | grep -q . && echo 1 || echo 0)',
        'COMPOSER = $(if $(filter 1,$(RUNNING)),docker compose run --rm php composer,composer)',
        '',
        'install: ## Install',
        '\t@./scripts/install.sh $(ENV)',
        'setup:',
        '\t@[ -n "$(COMPOSER)" ] || { echo "composer not found" >&2; exit 1; }',
        '\t@$(COMPOSER) install --no-dev',
        '\tphp bin/console cache:clear --env=$(ENV) --no-debug $(shell git rev-parse HEAD)',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(targets).toEqual({
      install: [['./scripts/install.sh MAKE_ENV', 7, 3]],
      setup: [
        ['[ -n MAKE_COMPOSER ]', 9, 3],
        ['echo composer not found', 9, 29],
        ['exit 1', 9, 60],
        ['MAKE_COMPOSER install --no-dev', 10, 3],
        ['php bin/console cache:clear --env=MAKE_ENV --no-debug MAKE_shell', 11, 2],
      ],
    });
  });

  it('a recursive $(MAKE) goal runs that goal’s prerequisites and recipe right there; another Makefile (-C, -f) and a recursion are not followed', async () => {
    const { targets, problems } = await makeTargets(
      [
        'deploy: build',
        '\tgit pull',
        '\t$(MAKE) --no-print-directory migrate ENV=prod',
        '\tln -sfn releases/new current',
        'build:',
        '\tcomposer install --no-dev',
        'migrate: build',
        '\tphp artisan migrate --force',
        'other:',
        '\t$(MAKE) -C docs html',
        '\tmake',
        'loop:',
        '\t$(MAKE) loop',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(targets.deploy).toEqual([
      ['composer install --no-dev', 6, 2],
      ['git pull', 2, 2],
      ['make --no-print-directory migrate ENV=prod', 3, 2],
      // a new make: build runs again before migrate
      ['composer install --no-dev', 6, 2],
      ['php artisan migrate --force', 8, 2],
      ['ln -sfn releases/new current', 4, 2],
    ]);
    // `make` alone runs the default goal (the first target): deploy
    expect(targets.other!.map(([argv]) => argv)).toEqual(['make -C docs html', 'make', 'composer install --no-dev', 'git pull', 'make --no-print-directory migrate ENV=prod', 'composer install --no-dev', 'php artisan migrate --force', 'ln -sfn releases/new current']);
    expect(targets.loop).toEqual([['make loop', 13, 2]]);
  });

  it('a line whose colons are inside a function call ($(foreach …$(eval x: ;))) is not a rule; $(error) under ifndef does not end the recipe', async () => {
    const { targets, problems } = await makeTargets(
      [
        'ARGS := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))',
        '.PHONY: FORCE',
        'FORCE:',
        '',
        '$(foreach goal,$(ARGS),$(eval $(goal): FORCE ; @:))',
        '',
        'release: ## Package a release (make release VERSION=1.2.3)',
        'ifndef VERSION',
        '\t$(error VERSION is not set)',
        'endif',
        '\t@./scripts/release.sh $(VERSION) /tmp',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(targets).toEqual({ FORCE: [], release: [['./scripts/release.sh MAKE_VERSION /tmp', 11, 3]] });
  });

  it('keeps make semantics: $$ is a literal $, $(VAR) and ${VAR} expand by flavour, $@ is the target, prefixes after expansion, canned recipes, inline recipes', async () => {
    const { targets, problems } = await makeTargets(
      [
        'APP = /srv/shop',
        'RELEASE := ${APP}/releases/$(shell date +%s)',
        'Q ?= @',
        'LATER = $(NOW)',
        'NOW := later',
        'define swap',
        '\tln -sfn $(RELEASE) $(APP)/current.tmp',
        '\tmv -Tf $(APP)/current.tmp $(APP)/current',
        'endef',
        '',
        'deploy: build ## deploy (ENV=prod by default)',
        '\t$(Q)rsync -a --delete ./ "$(HOST):$(RELEASE)/"',
        '\t$(swap)',
        '\tssh $(HOST) "sudo systemctl reload php8.2-fpm" && echo "$@ done at $$(date) $(LATER)"',
        'build: ; composer install --no-dev # the shell reads this comment',
        'deploy: ENV = prod',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(targets).toEqual({
      deploy: [
        ['composer install --no-dev', 15, 10],
        ['rsync -a --delete ./ MAKE_HOST:/srv/shop/releases/MAKE_shell/', 12, 6],
        ['ln -sfn /srv/shop/releases/MAKE_shell /srv/shop/current.tmp', 13, 2],
        ['mv -Tf /srv/shop/current.tmp /srv/shop/current', 13, 2],
        ['systemctl reload php8.2-fpm', 14, 15],
        ['date', 14, 72],
        ['echo deploy done at $(date) later', 14, 52],
      ],
      build: [['composer install --no-dev', 15, 10]],
    });
  });

  it('a recipe continued over lines keeps each command on its own line', async () => {
    const { targets, problems } = await makeTargets('deploy:\n\tcd /srv/shop && \\\n\t  git pull && \\\n\t  composer install --no-dev\n');
    expect(problems).toEqual([]);
    expect(targets.deploy).toEqual([
      ['git pull', 3, 4],
      ['composer install --no-dev', 4, 4],
    ]);
  });

  it('still reports real shell syntax errors, and make errors, in a recipe', async () => {
    const { targets, problems } = await makeTargets(
      ['ENV := $(if $(ENV),$(ENV),prod)', 'deploy:', '\tif [ "$(ENV)" = prod ]; then ./deploy.sh', '\techo $$(date', 'hotfix:', '\t./hotfix.sh $(ENV', ''].join('\n'),
    );
    expect(problems).toEqual([
      'Makefile:3: cannot parse the recipe of target deploy: if statement must end with "fi" (zdd doctor did not check it)',
      'Makefile:4: cannot parse the recipe of target deploy: reached EOF without matching ( with ) (zdd doctor did not check it)',
      'Makefile:6: cannot parse the recipe of target hotfix: unterminated variable reference (zdd doctor did not check it)',
    ]);
    expect(targets).toEqual({ deploy: [], hotfix: [] });
  });

  it('include, -include and sinclude read the named files for their variables (a .env file\'s A=b and export A=b), relative to the Makefile\'s directory', async () => {
    const files = {
      'ops/Makefile': ['include .env', '-include local.mk', 'sinclude $(ENV_FILE) missing.mk', 'include no-such.env', 'deploy:', '\tcd $(DEPLOY_PATH) && git pull', '\trsync -a ./ $(HOST):$(APP)/', '\techo $(DB_PASSWORD) $(LATER) $(GONE)', ''].join('\n'),
      'ops/.env': 'DB_CONNECTION=mysql\nDEPLOY_PATH=/var/www/html\n# a comment\nexport HOST=deploy@web1\n',
      'ops/local.mk': 'include more.mk\nAPP := /srv/$(NAME)\nNAME = shop\nsome-target:\n\tLATER=ignored ./x.sh\n',
      'ops/more.mk': 'NAME = app\nLATER = later\n',
      // the project root's .env is not the one make reads from ops/
      '.env': 'DB_PASSWORD=secret\n',
    };
    const { project, problems } = await doctorOn(files);
    expect(problems).toEqual([]);
    // local.mk's own target is its own flow (*.mk files are read as makefiles too), not one of ops/Makefile's
    expect(project.flows.map((f) => f.name)).toEqual(['ops/Makefile: make deploy', 'ops/local.mk: make some-target']);
    expect(project.flows[0]!.actions.map((a) => a.argv.join(' '))).toEqual(['git pull', 'rsync -a ./ deploy@web1:/srv/app/', 'echo MAKE_DB_PASSWORD later MAKE_GONE']);
    expect(project.flows[0]!.actions[0]!.tags.copy?.dest).toBe('/var/www/html');
  });

  it('target-specific variables (=, :=, +=, ?=, export, override) apply to that target\'s recipe only', async () => {
    const { targets, problems } = await makeTargets(
      [
        'LIVE = /tmp/global',
        'OPTS = -a',
        'deploy-g: LIVE = /var/www/html',
        'deploy-g deploy-k: export OPTS += --delete',
        'deploy-k: override LIVE = /srv/$(NAME)',
        'deploy-k: NAME ?= shop',
        'deploy-k: NAME ?= ignored',
        'deploy-g:',
        '\tcd $(LIVE) && git pull',
        '\trsync $(OPTS) ./ $(LIVE)/',
        'deploy-k:',
        '\trsync $(OPTS) ./ $(LIVE)/',
        'other:',
        '\trsync $(OPTS) ./ $(LIVE)/',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(targets).toEqual({
      'deploy-g': [
        ['git pull', 9, 16],
        ['rsync -a --delete ./ /var/www/html/', 10, 2],
      ],
      'deploy-k': [['rsync -a --delete ./ /srv/shop/', 12, 2]],
      other: [['rsync -a ./ /tmp/global/', 14, 2]],
    });
  });

  it('placeholders remember the make text they stand for; a second, different call gets its own word', async () => {
    const { project } = await doctorOn({ Makefile: 'STAMP := $(shell date +%s)\ndeploy:\n\tcd ${DEPLOY_PATH}/current && git pull\n\techo $(shell git rev-parse HEAD) $(STAMP) $(DEPLOY_PATH) $(shell hostname)\n' });
    const flow = project.flows[0]!;
    // STAMP is computed once, where it is set: the recipe shows the variable
    expect(flow.actions.map((a) => a.argv.join(' '))).toEqual(['git pull', 'echo MAKE_shell MAKE_STAMP MAKE_DEPLOY_PATH MAKE_shell_2']);
    expect(Object.fromEntries(flow.placeholders!)).toEqual({
      MAKE_STAMP: '$(STAMP)',
      MAKE_DEPLOY_PATH: '${DEPLOY_PATH}',
      MAKE_shell: '$(shell git rev-parse HEAD)',
      MAKE_shell_2: '$(shell hostname)',
    });
  });

  it('messages and fixes show what the user wrote ($(DEPLOY_PATH)/current), never a placeholder', async () => {
    const { findings } = await doctorOn({ Makefile: 'deploy-h:\n\tcd $(DEPLOY_PATH)/current && git pull\n' }, { rule: 'deploy-into-live-dir' });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('`git pull` (target deploy-h) writes into $(DEPLOY_PATH)/current,');
    expect(findings[0]!.fix).toContain('RELEASE=$(DEPLOY_PATH)/releases/');
    expect(JSON.stringify(findings)).not.toContain('MAKE_');
  });
});
