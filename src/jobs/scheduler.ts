/**
 * The ready queue: a job starts as soon as every job it depends on has succeeded (and a slot is
 * free); a failed job marks everything downstream of it skipped, and unrelated jobs go on.
 * Independent of DuckDB and of the data, so it is tested on its own (including a property test
 * against a sequential model).
 */
import type { JobState } from './events.js';

export interface ScheduledJob {
  name: string;
  dependsOn: readonly string[];
}

export interface ScheduleOutcome {
  state: Exclude<JobState, 'pending' | 'running'>;
  error?: unknown;
  /** For skipped jobs: the failed upstream job that caused it. */
  blockedBy?: string;
}

export interface ScheduleOptions {
  concurrency: number;
  onStart?: (name: string) => void;
  onSkip?: (name: string, blockedBy: string) => void;
}

/** Runs `execute` for each job in dependency order; resolves when every job is settled. */
export async function schedule(
  jobs: readonly ScheduledJob[],
  execute: (name: string) => Promise<void>,
  options: ScheduleOptions,
): Promise<Map<string, ScheduleOutcome>> {
  const outcomes = new Map<string, ScheduleOutcome>();
  const remaining = new Map(jobs.map((j) => [j.name, new Set(j.dependsOn)]));
  const dependents = new Map<string, string[]>(jobs.map((j) => [j.name, []]));
  for (const j of jobs) for (const d of j.dependsOn) dependents.get(d)?.push(j.name);
  const order = jobs.map((j) => j.name);
  let running = 0;

  return new Promise((resolve) => {
    const skip = (name: string, blockedBy: string): void => {
      if (outcomes.has(name)) return;
      outcomes.set(name, { state: 'skipped', blockedBy });
      remaining.delete(name);
      options.onSkip?.(name, blockedBy);
      for (const d of dependents.get(name) ?? []) skip(d, blockedBy);
    };
    const pump = (): void => {
      for (const name of order) {
        if (running >= options.concurrency) break;
        const deps = remaining.get(name);
        if (deps === undefined || deps.size > 0) continue;
        remaining.delete(name);
        running++;
        options.onStart?.(name);
        execute(name).then(
          () => settle(name, { state: 'succeeded' }),
          (error: unknown) => settle(name, { state: 'failed', error }),
        );
      }
      if (running === 0) {
        // Nothing runs and nothing can start: whatever is left waits on a job that never ran.
        for (const name of remaining.keys()) outcomes.set(name, { state: 'skipped' });
        resolve(outcomes);
      }
    };
    const settle = (name: string, outcome: ScheduleOutcome): void => {
      running--;
      outcomes.set(name, outcome);
      for (const d of dependents.get(name) ?? []) {
        if (outcome.state === 'succeeded') remaining.get(d)?.delete(name);
        else skip(d, name);
      }
      pump();
    };
    pump();
  });
}
