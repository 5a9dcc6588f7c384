/**
 * The committed sample data (sample-data/README.md) must be exactly what the generator produces
 * for its seed: a change of the generator's output fails here until the sample is regenerated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fingerprintRaw, generateRawData } from '../../src/gen/index.js';
import { rawManifestPath } from '../../src/project/layout.js';
import { REPO_ROOT, tempDir } from '../helpers/cli.js';

const SAMPLE = join(REPO_ROOT, 'sample-data');
const temp = tempDir('disco-sample-');
afterAll(() => temp.cleanup());

it('sample-data/ is the tiny data set for its seed, exactly', async () => {
  const manifest = JSON.parse(readFileSync(rawManifestPath(SAMPLE, '2026-01-01'), 'utf8'));
  await generateRawData({
    dataDir: temp.dir,
    date: manifest.date,
    scale: manifest.scale,
    seed: manifest.seed,
    ...manifest.flags,
  });
  expect(await fingerprintRaw(temp.dir, manifest.date)).toEqual(await fingerprintRaw(SAMPLE, manifest.date));
});
