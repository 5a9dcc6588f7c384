/**
 * Bundles the compiled CLI for a fast start (run by `npm run build`, after tsc, before the
 * manifest). Importing @oclif/core as ~150 separate files costs more than the rest of `disco
 * --help`; one esbuild pass with code splitting puts oclif and our shared code into a few chunks:
 *
 *   dist/cli.js               the entry bin/run.js imports (oclif's `execute`)
 *   dist/commands/**.js        each command (replacing tsc's output at the same paths, so the
 *                             oclif manifest and `commands` in package.json stay as they are)
 *   dist/chunks/*.js           shared code; heavy modules stay lazy (`await import()` → own chunk)
 *
 * Native and heavy packages stay external (DuckDB, SQLite, Ink, React…); @oclif/core and the small
 * pure-JS dependencies are bundled, so commands and the entry share one copy of each.
 * @oclif/core and yaml are bundled as CommonJS into `dist/vendor/*.cjs` and every `import … from
 * '@oclif/core'` (or 'yaml') of the ES bundle becomes a small module that loads it through
 * `vm.Script` with a V8 code cache (`src/cli/code-cache.ts`; the caches are written by
 * `src/cli/manifest.ts`): ES modules cannot use a code cache on Node 20, and compiling oclif is
 * most of a cold start.
 *
 * If bundling fails the tsc output is left as it is (slower start, same behaviour).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { Plugin } from 'esbuild';

const root = process.cwd();

function commandFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return commandFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Packages that stay external: native addons, and the big lazily-loaded UI and tooling stacks
 * (bundling React/Ink would risk a second React; TypeScript and tsx are only for development).
 * Everything else (oclif and its dependencies, yaml, chalk…) is bundled, so it loads as a few files.
 */
const EXTERNAL =
  /^(@duckdb\/|better-sqlite3|ink(-testing-library)?(\/|$)|react(\/|$)|react-reconciler|yoga-|hdr-histogram-js|autocannon|typescript|tsx|esbuild|vitest|fast-check)/;

const externals: Plugin = {
  name: 'discokit-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || EXTERNAL.test(args.path) ? { external: true } : undefined,
    );
  },
};

/**
 * Packages bundled as CommonJS into `dist/vendor/<file>` and loaded with a V8 code cache: oclif
 * (every start) and yaml (the project config and every plan; ~290 kB of source).
 */
const VENDORED: Record<string, string> = { '@oclif/core': 'oclif.cjs', yaml: 'yaml.cjs' };

/**
 * A vendored package → one ES module that loads its CommonJS bundle with the code cache and
 * re-exports its names, so the entry and every command share that single copy.
 */
function vendoredFromCodeCache(names: Record<string, string[]>): Plugin {
  const loader = join(root, 'src', 'cli', 'code-cache.ts');
  return {
    name: 'discokit-vendored-code-cache',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path in VENDORED ? { path: args.path, namespace: 'disco-vendored' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'disco-vendored' }, (args) => ({
        resolveDir: root,
        loader: 'js',
        contents:
          `import { loadCommonJs } from ${JSON.stringify(loader)};\n` +
          `const pkg = loadCommonJs(${JSON.stringify(VENDORED[args.path])});\n` +
          `export const { ${names[args.path]!.join(', ')} } = pkg;\nexport default pkg;\n`,
      }));
    },
  };
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true,
  keepNames: true,
  logLevel: 'warning',
} as const;

try {
  const esbuild = await import('esbuild');
  rmSync(join(root, 'dist', 'vendor'), { recursive: true, force: true });
  const requireHere = createRequire(join(root, 'package.json'));
  const names: Record<string, string[]> = {};
  for (const [pkg, file] of Object.entries(VENDORED)) {
    const outfile = join(root, 'dist', 'vendor', file);
    await esbuild.build({
      ...common,
      entryPoints: [requireHere.resolve(pkg)],
      outfile,
      format: 'cjs',
      plugins: [externals],
    });
    // import() cannot run inside vm.Script without an experimental callback (see code-cache.ts):
    // the loader passes a function that imports from an ES module instead.
    let code = readFileSync(outfile, 'utf8').replace(/\bawait import\(/g, 'await __discoImport(');
    if (/[^\w$."'`]import\((?!\))/.test(code)) throw new Error(`an import() left in ${outfile}`);
    // oclif sorts the command ids with localeCompare, whose first call builds an ICU collator:
    // 15-50 ms of a 200 ms `disco --help`. For ids of lowercase letters, ':' and '-' (ours) the
    // collation order is the code-unit order, so compare those directly (others: as before).
    code = code.replace(
      /\.sort\(\((\w+),(\w+)\)=>\1\.id\.localeCompare\(\2\.id\)\)/,
      (_, a: string, b: string) =>
        `.sort((${a},${b})=>{let x=${a}.id,y=${b}.id;return /^[a-z:-]*$/.test(x)&&/^[a-z:-]*$/.test(y)?(x<y?-1:x>y?1:0):x.localeCompare(y)})`,
    );
    writeFileSync(outfile, code);
    names[pkg] = Object.keys(requireHere(pkg)).filter(
      (name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default' && name !== '__esModule',
    );
  }
  const entryPoints = [
    { in: join(root, 'src', 'cli', 'entry.ts'), out: 'cli' },
    ...commandFiles(join(root, 'commands')).map((file) => ({
      in: file,
      out: relative(root, file).replace(/\.tsx?$/, ''),
    })),
  ];
  rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: join(root, 'dist'),
    entryNames: '[dir]/[name]',
    chunkNames: 'chunks/[name]-[hash]',
    ...common,
    splitting: true,
    format: 'esm',
    plugins: [vendoredFromCodeCache(names), externals],
    // oclif's CommonJS modules call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __discoRequire } from 'node:module'; const require = __discoRequire(import.meta.url);",
    },
  });
  console.log(
    `bundled the CLI: dist/cli.js + ${entryPoints.length - 1} commands, @oclif/core and yaml in dist/vendor/`,
  );
} catch (error) {
  rmSync(join(root, 'dist', 'cli.js'), { force: true });
  rmSync(join(root, 'dist', 'vendor'), { recursive: true, force: true });
  console.warn(
    `warning: bundling the CLI failed; using the unbundled build (slower start): ${String(error)}`,
  );
}
