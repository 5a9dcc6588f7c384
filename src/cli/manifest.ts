/**
 * Writes `oclif.manifest.json` after the build, so `disco` does not import every command file at
 * start-up to learn their flags (STYLE "Fast start"). Run by `npm run build`.
 *
 * Then, if the CLI was bundled, writes the V8 code caches of `dist/vendor/*.cjs` by running
 * `disco --help`, `disco catalog` and `disco plan validate` (the example plans) once each (see
 * `src/cli/code-cache.ts`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Plugin } from '@oclif/core';

const root = process.cwd();
const plugin = new Plugin({
  root,
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  isRoot: true,
});
await plugin.load();
writeFileSync(join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);

if (existsSync(join(root, 'dist', 'vendor', 'oclif.cjs'))) {
  // Each run loads the caches the previous one wrote and adds what it compiled.
  for (const args of [['--help'], ['catalog'], ['plan', 'validate']]) {
    const child = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DISCO_WRITE_CODE_CACHE: '1', NO_COLOR: '1' },
    });
    if (child.status !== 0 && !(args[0] === 'plan' && child.status === 1)) {
      console.warn(`warning: no code cache (disco ${args.join(' ')} failed): ${child.stderr}`);
      break;
    }
  }
  if (existsSync(join(root, 'dist', 'vendor', 'oclif.cjs.cache')))
    console.log('code cache: dist/vendor/oclif.cjs.cache');
}
