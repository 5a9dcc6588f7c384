/**
 * V8 settings for a process that serves plans, applied before it starts serving.
 *
 * Allocation-site pretenuring off. V8 moves an allocation site to the old generation once enough
 * of its objects survive a scavenge, and a serving process trips it at start (caches filling, a
 * backlog of in-flight requests): from then on that site's short-lived objects (a request's
 * response lists, its timings) are born old, and the old generation fills with garbage only a
 * major GC reclaims. Measured on related-pins at 2 000 req/s (small scale, 33 s, `--trace-gc-nvp`):
 * old-generation growth 123–126 MB and 3 major GCs with it, 22–23 MB and one without. Each major GC
 * marks the ~100 MB of cached records on four helper threads: on two cores that starves the
 * server's own thread for ~200 ms, the 50–150 ms p99 of the HTTP bench's bad runs.
 */
import { setFlagsFromString } from 'node:v8';

let applied = false;

export function tuneGcForServing(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
