import { CommanderError, type Command } from 'commander';
import { InputError } from '../util/errors.js';
import type { CommandResult } from './lint-command.js';

/** What every bin shares: printing a command's result, and turning errors into exit codes. */

export function emit(result: CommandResult): void {
  if (result.stdout) process.stdout.write(result.stdout);
  for (const line of result.stderr) process.stderr.write(`${line}\n`);
  process.exitCode = result.exitCode;
}

function fail(message: string): void {
  process.stderr.write(`zdd: ${message}\n`);
  process.exitCode = 2;
}

/** A reader that went away (`zdd rules | head -1`) ends the program quietly, as other CLI tools do. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

/**
 * Commander's usage errors as zdd's other errors: one line on stderr (`zdd: unknown option '--bogus'
 * (run zdd lint --help for usage)`), its "(Did you mean …?)" line folded in. Set on every command, as
 * each reports its own errors.
 */
export function oneLineUsageErrors(cmd: Command, path: string = cmd.name()): Command {
  cmd.showHelpAfterError(false).configureOutput({
    outputError: (str, write) => {
      const text = str.trim().replace(/^error: /, '').split('\n').map((l) => l.trim().replace(/^\(Did you mean/, '(did you mean')).filter(Boolean).join(' ').replace(/\.$/, '');
      write(`zdd: ${text} (run ${path} --help for usage)\n`);
    },
  });
  for (const sub of cmd.commands) oneLineUsageErrors(sub, `${path} ${sub.name()}`);
  return cmd;
}

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  oneLineUsageErrors(program);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help, `zdd help` and --version print on stdout and exit 0; every other commander error is a
      // usage error, exit 2 — also no command at all, for which commander prints the help on stderr
      const asked = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || (e.code === 'commander.help' && e.exitCode === 0);
      process.exitCode = asked ? 0 : 2;
      return;
    }
    if (e instanceof InputError) return fail(e.message);
    fail(`internal error: ${(e as Error).message} (please report this with the input that caused it)`);
    if (process.env.ZDD_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
  }
}

/**
 * Exits as soon as the output is flushed: the PostgreSQL parser's WebAssembly runtime keeps
 * background compilation alive for a few hundred milliseconds after zdd is done (measured), which a
 * pre-commit hook would otherwise wait for.
 */
export async function exitWhenFlushed(): Promise<void> {
  const drain = (s: NodeJS.WriteStream) => new Promise<void>((res) => (s.writableNeedDrain ? s.once('drain', () => res()) : s.write('', () => res())));
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(process.exitCode ?? 0);
}
