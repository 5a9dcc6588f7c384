import { Flags } from '@oclif/core';
import { DiscoCommand } from '../src/cli/base-command.js';
import type { GenSummary } from '../src/gen/generate.js';
import { today } from '../src/project/dates.js';

export default class Gen extends DiscoCommand {
  static override summary =
    'Generate the raw synthetic data set (users, boards, pins, board_truth) for a date.';
  static override description =
    `Writes Parquet under DATA/raw/DATASET/dt=DATE/ and the raw manifest last; the same --seed, --scale and rates always give the same rows.
A date that already has data is refused unless --force is given (the old data stays until the new data set is complete).`;
  static override examples = [
    '<%= config.bin %> gen',
    '<%= config.bin %> gen --scale medium --seed 7 --date 2026-11-21',
    '<%= config.bin %> gen --mislabel-rate 0.2 --repin-affinity 0.6 --force',
    '<%= config.bin %> gen --json',
  ];
  static override flags = {
    scale: Flags.string({
      description: 'tiny (20k pins), small (300k), medium (3M) or large (30M)',
      options: ['tiny', 'small', 'medium', 'large'],
      default: 'tiny',
    }),
    seed: Flags.string({ description: 'random seed, a whole number from 0 to 4294967295', default: '42' }),
    date: Flags.string({ description: 'date of the data set, YYYY-MM-DD (default: today, UTC)' }),
    'mislabel-rate': Flags.string({
      description: 'share of boards whose owner assigned a wrong category',
      default: '0.05',
    }),
    'upload-affinity': Flags.string({
      description: "probability that an upload's image has its board's true category",
      default: '0.9',
    }),
    'repin-affinity': Flags.string({
      description: "probability that a repin lands on a board of the image's category",
      default: '0.8',
    }),
    force: Flags.boolean({ description: 'replace the data set of that date if it exists' }),
  };

  async run(): Promise<GenSummary> {
    const { flags } = await this.parse(Gen);
    const { generateRawData } = await import('../src/gen/generate.js');
    const { formatProgress, formatSummary } = await import('../src/gen/report.js');
    const live = this.terminal().interactive && process.stderr.isTTY;
    let stage = '';
    const summary = await generateRawData({
      dataDir: (await this.project(flags.data)).dataDir,
      scale: flags.scale,
      seed: flags.seed,
      date: flags.date ?? today(),
      mislabelRate: flags['mislabel-rate'],
      uploadAffinity: flags['upload-affinity'],
      repinAffinity: flags['repin-affinity'],
      force: flags.force,
      onProgress: (event) => {
        if (live) process.stderr.write(`\r\x1b[2K${formatProgress(event)}`);
        else if (!this.jsonEnabled() && `${event.phase}/${event.dataset}` !== stage) {
          // Plain mode (CI, pipes): one line per stage, no cursor movement.
          stage = `${event.phase}/${event.dataset}`;
          process.stderr.write(`${formatProgress(event)}\n`);
        }
      },
    });
    if (live) process.stderr.write('\r\x1b[2K');
    if (!this.jsonEnabled()) this.log(formatSummary(summary));
    return summary;
  }
}
