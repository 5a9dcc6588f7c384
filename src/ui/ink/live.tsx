/**
 * Running an Ink view from a command. Commands call these through `await import()` only when
 * the terminal is interactive, so React and Ink never load for plain output or `--json`.
 *
 * A view is a pure function `state → styled lines`; `startLiveView` re-renders it when the
 * state changes (throttled), `showOnce` draws a finished picture and exits.
 */
import { Static, render } from 'ink';
import type { StyledLine } from '../style.js';
import { StyledLines } from './styled-lines.js';

export interface LiveView<S> {
  /** New state; drawn at most every `intervalMs`. */
  update(state: S): void;
  /** Draws the final state and unmounts (the last frame stays on screen). */
  finish(state?: S): Promise<void>;
}

export interface LiveOptions {
  color: boolean;
  stdout?: NodeJS.WriteStream;
  intervalMs?: number;
}

export function startLiveView<S>(
  view: (state: S) => StyledLine[],
  initial: S,
  options: LiveOptions,
): LiveView<S> {
  let state = initial;
  let dirty = false;
  const draw = () => <StyledLines lines={view(state)} color={options.color} />;
  const instance = render(draw(), {
    ...(options.stdout ? { stdout: options.stdout } : {}),
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const timer = setInterval(() => {
    if (!dirty) return;
    dirty = false;
    instance.rerender(draw());
  }, options.intervalMs ?? 100);
  timer.unref();
  return {
    update(next) {
      state = next;
      dirty = true;
    },
    async finish(final) {
      clearInterval(timer);
      if (final !== undefined) state = final;
      instance.rerender(draw());
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

/** Draws a picture once with Ink and returns when it is on screen (e.g. `plan show`). */
export async function showOnce(lines: readonly StyledLine[], options: LiveOptions): Promise<void> {
  // <Static> writes the picture once, above the live area: a plan taller than the terminal is
  // printed and scrolls like any output instead of being redrawn (and clipped) as a frame.
  const instance = render(
    <Static items={[lines]}>{(ls) => <StyledLines key="picture" lines={ls} color={options.color} />}</Static>,
    {
      ...(options.stdout ? { stdout: options.stdout } : {}),
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  instance.unmount();
  await instance.waitUntilExit();
}
