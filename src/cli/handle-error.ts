/**
 * The one place that turns a thrown error into output and an exit code (README "Errors and exit
 * codes"). User errors print one message (what, where, how to fix); oclif's own parse errors are
 * usage errors (exit 2); anything else is a bug (exit 70) and says so. Stack traces only with DEBUG.
 */
import { ExitCode, InternalError, isUserError } from '../errors/index.js';

export interface ErrorReport {
  exitCode: number;
  /** What to print on stderr (human form). */
  text: string;
  /** What `--json` prints on stdout. */
  json: { error: { code: string; message: string; where?: string; hint?: string } };
}

interface OclifLikeError {
  message: string;
  code?: string;
  oclif?: { exit?: number | false };
}

function isOclifError(error: unknown): error is OclifLikeError {
  return error instanceof Error && 'oclif' in error && typeof (error as OclifLikeError).oclif === 'object';
}

export function reportError(error: unknown, debug = Boolean(process.env['DEBUG'])): ErrorReport {
  if (isUserError(error)) {
    const lines = [`error: ${error.message}`];
    if (error.where) lines.push(`  at ${error.where}`);
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    if (debug && error.stack) lines.push(error.stack);
    return {
      exitCode: error.exit,
      text: lines.join('\n'),
      json: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.where ? { where: error.where } : {}),
          ...(error.hint ? { hint: error.hint } : {}),
        },
      },
    };
  }
  if (isOclifError(error)) {
    // oclif parse errors (unknown flag, missing argument, bad option) are usage errors.
    const exitCode = typeof error.oclif?.exit === 'number' ? error.oclif.exit : ExitCode.usage;
    const message = error.message.replace(/\n+See more help with --help$/, '');
    return {
      exitCode: exitCode === 1 ? ExitCode.usage : exitCode,
      text: `error: ${message}\n  hint: see --help for usage${debug && error instanceof Error && error.stack ? `\n${error.stack}` : ''}`,
      json: { error: { code: error.code ?? 'usage', message } },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof InternalError ? 'internal error' : 'unexpected error';
  const stack =
    debug && error instanceof Error && error.stack
      ? `\n${error.stack}`
      : '\n  (set DEBUG=1 for the stack trace)';
  return {
    exitCode: ExitCode.internal,
    text: `${kind}: ${message}\n  this is a bug in discokit; please report it with the command you ran${stack}`,
    json: { error: { code: 'internal', message } },
  };
}
