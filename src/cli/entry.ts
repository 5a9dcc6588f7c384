/**
 * What `bin/run.js` imports: oclif's entry point, bundled with the commands by `src/cli/bundle.ts`
 * so that the CLI and every command share one copy of @oclif/core.
 */
export { execute } from '@oclif/core';
