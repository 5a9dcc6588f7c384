/**
 * Ink frames at a fixed terminal width (ink-testing-library's stdout is always 100 columns; the
 * views are checked at 80 and 160). Same approach as ink-testing-library: a fake stdout that
 * keeps every frame, Ink in debug mode so each frame is written whole.
 */
import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { createElement } from 'react';
import { StyledLines } from '../../src/ui/ink/styled-lines.js';
import { type StyledLine, stripAnsi } from '../../src/ui/style.js';

export class FakeStdout extends EventEmitter {
  frames: string[] = [];
  readonly rows = 500;
  constructor(readonly columns: number) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame(): string {
    return this.frames[this.frames.length - 1] ?? '';
  }
}

/** The frame Ink draws for styled lines in a terminal of `columns` (ANSI stripped unless `raw`). */
export function inkFrame(
  lines: readonly StyledLine[],
  columns: number,
  options: { color?: boolean } = {},
): string {
  const stdout = new FakeStdout(columns);
  const instance = render(createElement(StyledLines, { lines, color: options.color ?? false }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = stdout.lastFrame();
  instance.unmount();
  instance.cleanup();
  return stripAnsi(frame);
}

export function maxLineWidth(frame: string): number {
  return Math.max(0, ...frame.split('\n').map((l) => [...l].length));
}
