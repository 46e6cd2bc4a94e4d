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

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version print and exit 0; every other commander error is a usage error
      process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
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
