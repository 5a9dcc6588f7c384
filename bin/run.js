#!/usr/bin/env node
// Production entry point: runs the compiled commands in dist/ using the oclif manifest.
// dist/cli.js is the bundled build (oclif and the commands share chunks: a fast start, see
// src/cli/bundle.ts); without it (bundling failed or skipped) the plain tsc output runs.
let oclif;
try {
  oclif = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  oclif = await import('@oclif/core');
}
await oclif.execute({ dir: import.meta.url });
