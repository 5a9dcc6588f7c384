import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ScheduledJob, schedule } from '../../src/jobs/scheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('schedule', () => {
  it('starts a job only after everything it depends on, and runs independent jobs concurrently', async () => {
    const jobs: ScheduledJob[] = [
      { name: 'a', dependsOn: [] },
      { name: 'b', dependsOn: [] },
      { name: 'c', dependsOn: ['a', 'b'] },
    ];
    const events: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const outcome = await schedule(
      jobs,
      async (name) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        events.push(`start ${name}`);
        await sleep(name === 'a' ? 20 : 5);
        events.push(`end ${name}`);
        running--;
      },
      { concurrency: 2 },
    );
    expect(maxRunning).toBe(2);
    expect(events.indexOf('start c')).toBeGreaterThan(events.indexOf('end a'));
    expect(events.indexOf('start c')).toBeGreaterThan(events.indexOf('end b'));
    expect([...outcome.values()].every((o) => o.state === 'succeeded')).toBe(true);
  });

  it('skips everything downstream of a failure and leaves unrelated jobs alone', async () => {
    const jobs: ScheduledJob[] = [
      { name: 'a', dependsOn: [] },
      { name: 'b', dependsOn: ['a'] },
      { name: 'c', dependsOn: ['b'] },
      { name: 'd', dependsOn: [] },
      { name: 'e', dependsOn: ['d'] },
    ];
    const ran: string[] = [];
    const skipped: Array<[string, string]> = [];
    const outcome = await schedule(
      jobs,
      async (name) => {
        ran.push(name);
        if (name === 'a') throw new Error('boom');
      },
      { concurrency: 1, onSkip: (n, by) => skipped.push([n, by]) },
    );
    expect(ran.sort()).toEqual(['a', 'd', 'e']);
    expect(outcome.get('a')?.state).toBe('failed');
    expect(outcome.get('b')).toEqual({ state: 'skipped', blockedBy: 'a' });
    expect(outcome.get('c')).toEqual({ state: 'skipped', blockedBy: 'a' });
    expect(outcome.get('e')?.state).toBe('succeeded');
    expect(skipped).toEqual([
      ['b', 'a'],
      ['c', 'a'],
    ]);
  });

  it('matches a sequential model under any timing (property)', async () => {
    // Random DAGs (edges only from lower to higher index), random failures and durations.
    const arbitrary = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        deps: fc.array(fc.array(fc.boolean(), { minLength: n, maxLength: n }), {
          minLength: n,
          maxLength: n,
        }),
        fails: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
        delays: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n }),
        concurrency: fc.integer({ min: 1, max: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ deps, fails, delays, concurrency }) => {
        const n = fails.length;
        const jobs = Array.from({ length: n }, (_, i) => ({
          name: `j${i}`,
          dependsOn: Array.from({ length: i }, (_, k) => k)
            .filter((k) => deps[i]![k])
            .map((k) => `j${k}`),
        }));
        // Sequential model: in index order, a job runs iff all deps succeeded.
        const model = new Map<string, string>();
        for (const [i, job] of jobs.entries()) {
          const ok = job.dependsOn.every((d) => model.get(d) === 'succeeded');
          model.set(job.name, !ok ? 'skipped' : fails[i] ? 'failed' : 'succeeded');
        }
        const finished = new Set<string>();
        const outcome = await schedule(
          jobs,
          async (name) => {
            const i = Number(name.slice(1));
            for (const d of jobs[i]!.dependsOn) expect(finished.has(d)).toBe(true);
            await sleep(delays[i]!);
            finished.add(name);
            if (fails[i]) throw new Error(name);
          },
          { concurrency },
        );
        for (const [name, state] of model) expect(outcome.get(name)?.state).toBe(state);
      }),
      { numRuns: 60 },
    );
  });
});
