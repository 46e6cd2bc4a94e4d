import { dirname } from 'node:path';
import type { ZddConfig } from '../lint/config.js';
import { InputError } from '../util/errors.js';

/**
 * The `"doctor"` section of zdd.config.json (the config loader keeps it as an opaque object; its
 * keys are checked here):
 *   "doctor": { "paths": ["ops/site.conf", "ops/k8s"], "ignore": ["docker/dev/**"] }
 * `paths`: extra deploy files or directories, relative to the config file (added to what is found
 * by convention). `ignore`: globs of project paths doctor skips.
 */
export interface DoctorOptions {
  paths: string[];
  ignore: string[];
  /** Directory `paths` are relative to. */
  baseDir: string;
}

const KEYS = ['paths', 'ignore'] as const;

export function doctorOptions(config: ZddConfig, cwd: string): DoctorOptions {
  const raw = config.doctor;
  const where = config.file ?? 'zdd.config.json';
  const out: DoctorOptions = { paths: [], ignore: [], baseDir: config.file ? dirname(config.file) : cwd };
  if (raw === undefined) return out;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${where}: "doctor" must be an object like { "paths": ["deploy/nginx"], "ignore": ["docker/dev/**"] }`);
  for (const key of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(key)) throw new InputError(`${where}: unknown key "doctor.${key}" (known: ${KEYS.join(', ')})`);
  }
  for (const key of KEYS) {
    const v = (raw as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.length > 0)) throw new InputError(`${where}: "doctor.${key}" must be an array of non-empty strings`);
    out[key] = v as string[];
  }
  return out;
}
