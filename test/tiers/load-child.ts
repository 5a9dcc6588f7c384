/**
 * Child process for the kill -9 test: runs `loadTiers` on a data directory, prints each progress
 * event as a line, and — when told to — stops dead (a synchronous sleep) right after one event, so
 * the parent can kill it at exactly that point. Usage: load-child.ts DATA_DIR [PAUSE_AT]
 */
import { loadProjectConfig } from '../../src/project/config.js';
import { loadTiers } from '../../src/tiers/load.js';

const [dataDir, pauseAt] = process.argv.slice(2);
const config = loadProjectConfig(process.cwd(), { dataDir: dataDir! });
const sleeper = new Int32Array(new SharedArrayBuffer(4));
await loadTiers({
  config,
  onProgress: (event) => {
    const name = `${event.type}:${event.tier}`;
    process.stdout.write(`${name}\n`);
    if (name === pauseAt) Atomics.wait(sleeper, 0, 0, 60_000);
  },
});
process.stdout.write('done\n');
