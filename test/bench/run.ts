/**
 * `npm run bench [-- NAME...]`: runs the benchmark suites in this folder (each `NAME.bench.ts`
 * exports a default async function that prints its figures). Benchmarks are not tests: they never
 * fail on timing; each compares against a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = args.length > 0 ? args : available;
for (const name of selected) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark '${name}'; available: ${available.join(', ')}`);
    process.exit(2);
  }
}
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  const mod = (await import(pathToFileURL(join(dir, `${name}.bench.ts`)).href)) as {
    default: (argv: string[]) => Promise<void>;
  };
  await mod.default(process.argv.slice(2));
}
