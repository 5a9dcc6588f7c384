/**
 * V8 settings for a process that serves plans, applied before it starts serving (flags V8 reads
 * when it needs them, so setting them at run time works).
 *
 * Allocation-site pretenuring off. V8 moves an allocation site to the old generation once enough
 * of its objects survive a scavenge, and a serving process trips it at start (caches filling, a
 * backlog of in-flight requests): from then on that site's short-lived objects (a request's
 * response lists, its timings) are born old, and the old generation fills with garbage only a
 * major GC reclaims. Measured on related-pins at 2 000 req/s (small scale, 33 s, `--trace-gc-nvp`):
 * old-generation growth 123–126 MB and 3 major GCs with it, 22–23 MB and one without. Each major GC
 * marks the ~100 MB of cached records on four helper threads: on two cores that starves the
 * server's own thread for ~200 ms (perf -a), the 50–150 ms p99 of the HTTP bench's bad runs.
 *
 * Concurrent marking off. Node gives V8 four helper threads whatever the cores; their marking
 * took ~60 % of both cores for 150–200 ms, and the server's thread got a fifth of them. Without
 * it, V8 marks in increments on the server's own thread (133 ms in steps of at most ~9 ms for a
 * 100 MB heap), which slows requests a little instead of stopping them. Five fresh-server runs of
 * five 10 s runs each at 2 000 req/s: with concurrent marking, p99 above 50 ms in 2 of 5 (max
 * ~200 ms); without, p99 4.9–7.4 ms, max 20–33 ms; both flags set at start (this code): p99
 * 3.5–4.6 ms in 5 of 6 runs, 20 ms in one.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneGcForServing(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
  setFlagsFromString('--no-concurrent-marking');
}
