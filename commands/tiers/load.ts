import { Flags } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import { parseVersion } from '../../src/project/dates.js';
import type { LoadResult } from '../../src/tiers/load.js';

export default class TiersLoad extends DiscoCommand {
  static override summary =
    'Load a finished version (default: the newest) into every tier, atomically per tier.';
  static override description =
    'Light versions of the joins go to prod (SQLite) and batch (DuckDB, with the derived datasets); the full ' +
    'version, raw data of its date included, is registered for archive and debug. Each tier builds the new version ' +
    'beside the one it serves and switches only when it is complete and fits its capacity (disco.yaml).';
  static override examples = [
    '<%= config.bin %> tiers load',
    '<%= config.bin %> tiers load --version 2026-11-21/2',
  ];
  static override flags = {
    version: Flags.string({
      description: 'version to load, DATE/ITERATION (default: the newest complete one)',
    }),
  };

  async run(): Promise<LoadResult> {
    const { flags } = await this.parse(TiersLoad);
    const config = await this.project(flags.data);
    const version = flags.version === undefined ? undefined : parseVersion(flags.version);
    const { loadTiers } = await import('../../src/tiers/load.js');
    const { renderLoad, renderLoadEvent } = await import('../../src/tiers/render.js');
    const quiet = this.jsonEnabled();
    const result = await loadTiers({
      config,
      version,
      onProgress: (event) => {
        const line = quiet ? undefined : renderLoadEvent(event);
        if (line) process.stderr.write(`${line}\n`);
      },
    });
    if (!quiet) this.log(renderLoad(result));
    return result;
  }
}
