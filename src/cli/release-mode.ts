import { InputError } from '../util/errors.js';
import type { LintFlags } from './lint-command.js';

/**
 * Which release mode the flags ask for. A light module: `zdd lint` in path mode imports only this,
 * and loads release mode (git, the code index) when a flag asks for it.
 */

/** The flags release mode reads (zdd lint's and zdd-plan's have different formats). */
export type ReleaseFlags = Omit<LintFlags, 'format' | 'failOn'>;

export type ReleaseMode = { kind: 'base'; ref: string } | { kind: 'staged' } | { kind: 'from-to'; from: string; to: string };

/** The release mode the flags ask for (undefined: plain path mode). Conflicting flags are a usage error. */
export function releaseModeOf(flags: ReleaseFlags): ReleaseMode | undefined {
  const modes = [flags.base !== undefined && '--base', flags.staged && '--staged', (flags.from !== undefined || flags.to !== undefined) && '--from/--to'].filter(Boolean);
  if (modes.length > 1) throw new InputError(`${modes.join(' and ')} cannot be combined: pick one release mode`);
  if (flags.base !== undefined) {
    if (!flags.base.trim()) throw new InputError('--base needs a git ref, e.g. --base origin/main');
    return { kind: 'base', ref: flags.base };
  }
  if (flags.staged) return { kind: 'staged' };
  if (flags.from !== undefined || flags.to !== undefined) {
    if (flags.from === undefined || flags.to === undefined) throw new InputError('--from and --to go together: --from <running release dir|ref> --to <new release dir|ref>');
    return { kind: 'from-to', from: flags.from, to: flags.to };
  }
  return undefined;
}

