/**
 * What kind of output the current process may produce: in a terminal, live progress and colour;
 * in CI or a pipe, plain lines with no cursor movement (SPEC §1). `NO_COLOR` turns colour off.
 */
export interface TerminalInfo {
  /** stdout is a TTY and this is not CI: live (Ink) views allowed. */
  interactive: boolean;
  color: boolean;
  columns: number;
}

export function terminalInfo(stream: NodeJS.WriteStream = process.stdout, env = process.env): TerminalInfo {
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false';
  const interactive = Boolean(stream.isTTY) && !ci && env['TERM'] !== 'dumb';
  const noColor = env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
  const forced = env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0';
  return {
    interactive,
    color: !noColor && (forced || Boolean(stream.isTTY)),
    columns: stream.columns && stream.columns > 0 ? stream.columns : 80,
  };
}
