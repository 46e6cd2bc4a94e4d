import type { Dialect } from '../ir/types.js';

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** Server versions zdd knows facts for; `--db-version` outside these is refused. */
export const SUPPORTED: Record<Dialect, { min: Version; max: Version; default: string; label: string }> = {
  mysql: { min: { major: 8, minor: 0, patch: 0 }, max: { major: 8, minor: 4, patch: 999 }, default: '8.0', label: 'MySQL 8.0–8.4' },
  mariadb: { min: { major: 10, minor: 11, patch: 0 }, max: { major: 11, minor: 99, patch: 999 }, default: '10.11', label: 'MariaDB 10.11+' },
  postgres: { min: { major: 12, minor: 0, patch: 0 }, max: { major: 17, minor: 99, patch: 999 }, default: '16', label: 'PostgreSQL 12–17' },
};

/**
 * Parses `8.0`, `8.0.36`, `16`, `10.11.6-MariaDB`. A version without a patch level means the latest
 * patch of that release (patch 999): users who write `8.0` run a current 8.0.x.
 */
export function parseVersion(text: string): Version | undefined {
  const m = /^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: m[2] === undefined ? 999 : Number(m[2]), patch: m[3] === undefined ? 999 : Number(m[3]) };
}

export function compareVersion(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `at(v, '8.0.29')`: true when v is 8.0.29 or later. */
export function atLeast(v: Version, min: string): boolean {
  const m = parseVersion(min)!;
  const exact = { major: m.major, minor: m.minor === 999 ? 0 : m.minor, patch: m.patch === 999 ? 0 : m.patch };
  return compareVersion(v, exact) >= 0;
}

export function formatVersion(v: Version): string {
  if (v.minor === 999) return `${v.major}`;
  if (v.patch === 999) return `${v.major}.${v.minor}`;
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function checkVersion(dialect: Dialect, v: Version): string | undefined {
  const s = SUPPORTED[dialect];
  const norm = { major: v.major, minor: v.minor === 999 ? s.min.minor : v.minor, patch: 0 };
  const upper = { major: v.major, minor: v.minor === 999 ? s.max.minor : v.minor, patch: 0 };
  if (compareVersion(norm, { ...s.min, patch: 0 }) < 0 || compareVersion(upper, s.max) > 0) {
    return `${dialect} ${formatVersion(v)} is outside what zdd knows (${s.label})`;
  }
  return undefined;
}
