/**
 * Loads a CommonJS bundle from `dist/vendor/` through `vm.Script` with a V8 code cache (written
 * next to it at build time: `<name>.cache`), so a cold `disco` does not parse and compile
 * @oclif/core's ~350 kB again on every start. Node 20 has no `module.enableCompileCache`, and ES
 * modules cannot take cached data, hence the CommonJS bundle (see `src/cli/bundle.ts`).
 *
 * A missing, stale or rejected cache (another Node version, other V8 flags) only costs the compile
 * it would have saved. With `DISCO_WRITE_CODE_CACHE=1` the cache is (re)written when the process
 * exits, so it holds every function that run compiled (the build runs `disco --help` and
 * `disco catalog` that way, see `src/cli/manifest.ts`).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** `dist/vendor/<name>` of the running build (this module is bundled into a file under dist/). */
function vendorPath(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf(`${sep}dist${sep}`);
  return join(at >= 0 ? here.slice(0, at + 5) : dirname(here), 'vendor', name);
}

export function loadCommonJs(name: string): unknown {
  const file = vendorPath(name);
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(
    `(function (exports, require, module, __filename, __dirname, __discoImport) {${source}\n})`,
    { filename: file, ...(cachedData ? { cachedData } : {}) },
  );
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  // The bundle's `await import(x)` (oclif loading command files) were renamed `__discoImport(x)`
  // at build time: import() inside a vm.Script needs an experimental callback that Node 20 also
  // loses when the code comes from the cache. This import() runs in this ES module instead.
  const importHere = (specifier: string): Promise<unknown> => import(specifier);
  run(module.exports, createRequire(file), module, file, dirname(file), importHere);
  if (process.env.DISCO_WRITE_CODE_CACHE === '1') {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    });
  }
  return module.exports;
}
