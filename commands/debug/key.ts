import { Args } from '@oclif/core';
import { DiscoCommand } from '../../src/cli/base-command.js';
import type { DebugKeyResult } from '../../src/tiers/debug-key.js';

export default class DebugKey extends DiscoCommand {
  static override summary = 'One record, side by side, from every tier that holds the dataset.';
  static override description =
    'Shows, per tier, whether the key was found, the version served, the fetch latency and the fields, then ' +
    "the fields whose values differ. A field a light tier leaves out is not a difference; a stale tier's value is.";
  static override examples = [
    '<%= config.bin %> debug key boardjoin 42',
    '<%= config.bin %> debug key pinjoin 3f2a9c... --json',
    '<%= config.bin %> debug key pins 1001',
  ];
  static override args = {
    dataset: Args.string({ description: 'dataset (see disco catalog)', required: true }),
    key: Args.string({ description: "the record's key, parsed by the dataset's key type", required: true }),
  };

  async run(): Promise<DebugKeyResult> {
    const { args, flags } = await this.parse(DebugKey);
    const config = await this.project(flags.data);
    const { debugKey } = await import('../../src/tiers/debug-key.js');
    const result = await debugKey(config, args.dataset, args.key);
    const term = this.terminal();
    if (!this.jsonEnabled() && term.interactive) {
      // In a terminal: the side-by-side diff view (src/ui), differences in red.
      const { debugKeyView } = await import('../../src/ui/views/debug-key-view.js');
      const { showOnce } = await import('../../src/ui/ink/live.js');
      await showOnce(debugKeyView(result, { width: term.columns }), { color: term.color });
    } else if (!this.jsonEnabled()) {
      const { renderDebugKey } = await import('../../src/tiers/render.js');
      this.log(renderDebugKey(result, this.terminal().columns));
    }
    return result;
  }
}
