import { Args } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import type { RollbackResult } from '../../src/tiers/status.js';

export default class TiersRollback extends DiscoCommand {
  static override summary = 'Go back to the previous version of one tier (or of every tier).';
  static override description =
    'Swaps the current and previous versions atomically; running it again goes forward again.';
  static override examples = ['<%= config.bin %> tiers rollback', '<%= config.bin %> tiers rollback prod'];
  static override args = {
    tier: Args.string({ description: 'prod, batch, archive or debug (default: every tier)' }),
  };

  async run(): Promise<RollbackResult> {
    const { args, flags } = await this.parse(TiersRollback);
    const config = await this.project(flags.data);
    const { rollbackTiers } = await import('../../src/tiers/status.js');
    const result = await rollbackTiers(config, args.tier);
    if (!this.jsonEnabled()) {
      const { renderRollback } = await import('../../src/tiers/render.js');
      this.log(renderRollback(result));
    }
    return result;
  }
}
