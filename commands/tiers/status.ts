import { DiscoCommand } from '../../src/cli/base-command.js';
import type { TiersStatusResult } from '../../src/tiers/status.js';

export default class TiersStatus extends DiscoCommand {
  static override summary = 'Version, size and capacity of each tier, per dataset.';
  static override examples = ['<%= config.bin %> tiers status', '<%= config.bin %> tiers status --json'];

  async run(): Promise<TiersStatusResult> {
    const { flags } = await this.parse(TiersStatus);
    const config = await this.project(flags.data);
    const { tiersStatus } = await import('../../src/tiers/status.js');
    const result = await tiersStatus(config);
    if (!this.jsonEnabled()) {
      const { renderStatus } = await import('../../src/tiers/render.js');
      this.log(renderStatus(result));
    }
    if (result.tiers.some((t) => t.error)) this.problemsFound();
    return result;
  }
}
