/**
 * The two families of failure (see README "Errors and exit codes").
 *
 * - {@link UserError}: bad input the user can fix. It carries a stable code, where the problem is,
 *   and a hint. The CLI prints it as one message and exits with its exit code; never a stack trace.
 * - {@link InternalError}: a bug in discokit. The CLI prints it with a "please report" line.
 *
 * Domain code throws these directly; exactly one top-level handler (src/cli/handle-error.ts) turns
 * them into output and exit codes.
 */

/** Exit codes shared by every command (SPEC §1). */
export const ExitCode = {
  ok: 0,
  /** The command ran and found problems: invalid plans, failed jobs, missed SLO. */
  problems: 1,
  /** Usage error: unknown flag, bad flag value, missing file. */
  usage: 2,
  /** A bug in discokit. */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface UserErrorOptions {
  /** Stable kebab-case code, e.g. `config-unknown-key`. */
  code: string;
  /** 1 (problems found) or 2 (usage). Defaults to 2. */
  exit?: 1 | 2;
  /** Where: `file:line:col`, a path, a dataset name. */
  where?: string;
  /** How to fix it. */
  hint?: string;
  cause?: unknown;
}

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly code: string;
  readonly exit: 1 | 2;
  readonly where: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: UserErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.exit = options.exit ?? ExitCode.usage;
    this.where = options.where;
    this.hint = options.hint;
  }
}

export class InternalError extends Error {
  override readonly name = 'InternalError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** Asserts an invariant; a failure is a bug in discokit, never the user's fault. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalError(message);
}
