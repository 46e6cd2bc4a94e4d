import type { DotenvEntry } from '../util/dotenv.js';
import type { FileProblem } from '../util/errors.js';
import type { RuleMeta, Severity } from '../lint/types.js';

/**
 * zdd doctor's vocabulary. The doctor module discovers the deploy files of a project, parses each
 * once (shell, YAML, nginx, php-fpm ini, .env, PHP) and turns them into the parsed forms below; the
 * deploy rules (rules/*.ts with scope 'deploy') only judge these forms, they never parse.
 */

/** A position in a project file (path relative to the project root, 1-based line and column). */
export interface Loc {
  file: string;
  line: number;
  col: number;
}

/** What kind of deploy file a path is, decided by discovery. */
export type DeployFileKind =
  | 'deployer-php'
  | 'deployer-yaml'
  | 'shell'
  | 'envoy'
  | 'github-workflow'
  | 'gitlab-ci'
  | 'makefile'
  | 'nginx'
  | 'php-fpm'
  | 'dotenv'
  | 'laravel-config'
  | 'symfony-config'
  | 'routes'
  | 'laravel-bootstrap'
  | 'kubernetes'
  | 'composer-lock'
  | 'dockerfile'
  | 'supervisor';

export interface DeployFile {
  /** Path relative to the project root, with forward slashes. */
  path: string;
  kind: DeployFileKind;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Deploy flows: ordered actions (shell commands and known tasks) of one deploy script, recipe, job

/** What a command does, as far as a zero-downtime deploy is concerned (see src/doctor/actions.ts). */
export interface ActionTags {
  /** Points the live symlink (`current`) at a new release. */
  swap?: { atomic: boolean; how: string; link: string };
  /** Removes the live symlink or directory (the first half of a non-atomic swap). */
  removesLive?: { target: string };
  /** Runs database migrations. `destructive`: syncs the schema or drops everything (schema:update --force, migrate:fresh …). `post`: the contract step of an expand/contract split. */
  migrate?: { tool: string; destructive: boolean; post: boolean };
  /** Acts on php-fpm. `graceful` is true for reload/USR2. */
  fpm?: { op: 'restart' | 'stop' | 'start' | 'reload' | 'kill'; graceful: boolean; service: string };
  /** Tells queue workers to exit after their job (queue:restart, horizon:terminate, messenger:stop-workers, supervisorctl restart). */
  workersRestart?: { how: string };
  /** Requests a URL of the app and fails the deploy when it does not answer 2xx. */
  healthCheck?: { url: string };
  /** Copies or updates files in place at `dest` (rsync, cp, scp, git pull …). */
  /** `sources`: what cp / scp / rsync copy (the paths they name). */
  copy?: { tool: string; dest: string; live: boolean; sources?: string[] };
  /** Runs a whole Deployer deploy (`dep deploy`), expanded into the flow. */
  deployer?: { task: string };
  /** Runs `zdd-plan`'s emitted plan (expand/contract is handled by it). */
  zddPlan?: boolean;
}

export interface DeployAction {
  /** The command's words after unwrapping sudo/ssh/docker exec …, with known variables substituted. */
  argv: string[];
  /** The command as written (for messages). */
  text: string;
  loc: Loc;
  /** Where it sits: "task deploy:restart", "job deploy, step 'Restart'", "target deploy" … */
  where: string;
  tags: ActionTags;
  /** Set for actions that stand for a known task of a tool (e.g. Deployer's `deploy:symlink`). */
  task?: string;
}

export type FlowSource = 'shell' | 'deployer' | 'envoy' | 'github' | 'gitlab' | 'make' | 'kubernetes' | 'supervisor';

export interface DeployFlow {
  /** e.g. "deploy.sh", "deploy.php: task deploy", ".github/workflows/deploy.yml: job deploy". */
  name: string;
  source: FlowSource;
  file: string;
  /** Actions in the order they run. */
  actions: DeployAction[];
  /** How a fix should be written for this flow ('shell' for scripts and CI run steps). */
  syntax: 'shell' | 'deployer-php' | 'deployer-yaml' | 'envoy' | 'yaml-run' | 'make';
  /** A script an image runs when its container starts (the Dockerfile's ENTRYPOINT/CMD, or a COPY into an init directory such as /etc/s6-overlay/): it runs in a new container, before it serves. */
  containerStart?: Loc;
  /** Words that stand for what the flow's file computes (a Makefile's `MAKE_DEPLOY_PATH`) → the text the user wrote (`$(DEPLOY_PATH)`), for messages. */
  placeholders?: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Server config

export interface NginxDirective {
  name: string;
  args: string[];
  line: number;
  col: number;
  block?: NginxDirective[];
}

export interface NginxFile {
  path: string;
  directives: NginxDirective[];
}

export interface IniEntry {
  key: string;
  value: string;
  line: number;
  col: number;
}

export interface IniSection {
  name: string;
  line: number;
  entries: IniEntry[];
}

/** A php-fpm config file (php-fpm.conf, a pool file) or a php.ini. */
export interface FpmFile {
  path: string;
  sections: IniSection[];
}

// ---------------------------------------------------------------------------------------------
// App config

/** A key of a .env file as its loader reads it (the one .env reader's entry). */
export type EnvEntry = DotenvEntry;

export interface EnvFile {
  path: string;
  entries: EnvEntry[];
}

/** A setting read from the app's config: where it is and what it resolves to. */
export interface AppSetting {
  /** e.g. "session driver", "cache store", "default filesystem disk". */
  what: 'session' | 'cache' | 'uploads' | 'queue';
  /** The effective value (after .env), lower-case. */
  value: string;
  /** Where the value comes from (the .env line, or the config default). */
  loc: Loc;
  /** How the value is set there, e.g. `SESSION_DRIVER=file` or `'driver' => env('SESSION_DRIVER', 'file')`. */
  source: string;
  /** For a local disk or file sessions: the directory the data lives in, relative to the app when known. */
  directory?: string;
  /** The env variable that sets it (Laravel) or the YAML key (Symfony). */
  key: string;
  framework: 'laravel' | 'symfony';
}

export interface HealthRoute {
  path: string;
  loc: Loc;
  /** What the handler touches: 'database', 'cache', … (empty = it only proves PHP runs). */
  checks: string[];
  how: 'route' | 'laravel-health' | 'nginx-return';
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

export interface K8sContainer {
  name: string;
  /** The image as written (may be a masked Helm expression). */
  image: string;
  loc: Loc;
  /** command + args, joined into words. */
  command: string[];
  commandLoc?: Loc;
  /** What the command does (migrations, workers …), as for deploy scripts. */
  actions: DeployAction[];
  hasPorts: boolean;
  /** The first containerPort, for a probe fix. */
  port?: string;
  readinessProbe?: { loc: Loc; path?: string };
  init: boolean;
}

export interface K8sWorkload {
  kind: string;
  name: string;
  file: string;
  loc: Loc;
  replicas?: number;
  /** spec.strategy: type and rollingUpdate values as written. */
  strategy?: { type?: string; maxUnavailable?: string | number; maxSurge?: string | number; loc: Loc; typeLoc?: Loc; maxUnavailableLoc?: Loc };
  containers: K8sContainer[];
  /** Helm hook / Argo CD sync hook annotations (a Job run before the rollout). */
  hook?: string;
}

// ---------------------------------------------------------------------------------------------

/** Facts about the project that several rules need. */
export interface ProjectFacts {
  /** The deploy puts releases side by side and swaps a `current` symlink. */
  symlinkDeploy: boolean;
  /** More than one server (Deployer hosts, Kubernetes replicas), or an explanation of why we think so. */
  servers?: { many: boolean; why: string };
  /** Deployer's shared_dirs / shared_files, when a Deployer recipe is present. */
  shared?: { dirs: string[]; files: string[]; loc: Loc; syntax: 'deployer-php' | 'deployer-yaml' };
  /** Laravel framework version from composer.lock. */
  laravelVersion?: string;
  /** The app uses queue workers: why we think so. */
  queues?: { why: string; loc: Loc };
  /** Laravel Horizon runs the workers (restart with horizon:terminate). */
  horizon: boolean;
  /** Runs in Kubernetes (pods have no shared disk unless a volume says so). */
  kubernetes: boolean;
}

/** The command a container image starts with (the final stage's ENTRYPOINT + CMD of a Dockerfile). */
export interface ImageStart {
  file: string;
  loc: Loc;
  words: string[];
  actions: DeployAction[];
  /** Project paths (as if the build context were the project root or the Dockerfile's directory) of the scripts the start command runs, COPY'd into the image. */
  scripts: string[];
}

export interface DeployProject {
  root: string;
  files: DeployFile[];
  flows: DeployFlow[];
  nginx: NginxFile[];
  fpm: FpmFile[];
  env: EnvFile[];
  settings: AppSetting[];
  healthRoutes: HealthRoute[];
  workloads: K8sWorkload[];
  /** Start commands of the project's Dockerfiles (used when a Kubernetes container sets no command). */
  images: ImageStart[];
  facts: ProjectFacts;
  /** Deploy files (or commands in them) that do not parse: zdd doctor did not check them. */
  unparsed: FileProblem[];
}

export interface DeployFinding {
  file: string;
  line: number;
  col?: number;
  message: string;
  /** The fix, in the file's own syntax (first line: what to do; following lines: code). */
  fix: string;
  severity?: Severity;
  /** What the finding is about (php-fpm, nginx, sessions …): the JSON `target.subject`. */
  subject: string;
}

export interface DeployRule extends RuleMeta {
  scope: 'deploy';
  check(project: DeployProject): DeployFinding[];
}
