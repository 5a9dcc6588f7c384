import { Args } from '@oclif/core';
import { CATALOG } from '../src/catalog/catalog.js';
import { type DatasetInfo, describeCatalog } from '../src/catalog/describe.js';
import { DiscoCommand } from '../src/cli/base-command.js';
import { textTable } from '../src/ui/text-table.js';

export default class Catalog extends DiscoCommand {
  static override summary = 'Show the datasets: keys, fields, types, light flags, references and tiers.';
  static override examples = [
    '<%= config.bin %> catalog',
    '<%= config.bin %> catalog pinjoin',
    '<%= config.bin %> catalog boardjoin --json',
  ];
  static override args = {
    dataset: Args.string({ description: 'show one dataset in detail' }),
  };

  async run(): Promise<{ datasets: DatasetInfo[] }> {
    const { args } = await this.parse(Catalog);
    const result = describeCatalog(CATALOG, args.dataset);
    if (this.jsonEnabled()) return result;
    this.log(
      args.dataset === undefined ? renderOverview(result.datasets) : renderDataset(result.datasets[0]!),
    );
    return result;
  }
}

const tierList = (d: DatasetInfo) =>
  d.tiers.map((t) => (t.version === 'light' ? `${t.tier}(light)` : t.tier)).join(' ');

function renderOverview(datasets: DatasetInfo[]): string {
  return textTable(datasets, [
    { header: 'dataset', value: (d) => d.dataset },
    { header: 'kind', value: (d) => d.kind },
    { header: 'key', value: (d) => d.key.join(', ') },
    { header: 'fields', value: (d) => String(d.fields.length), align: 'right' },
    { header: 'tiers', value: tierList },
    { header: 'description', value: (d) => d.doc },
  ]);
}

function renderDataset(d: DatasetInfo): string {
  const head = `${d.dataset} (${d.kind}) — ${d.doc}\nkey: ${d.key.join(', ')}    tiers: ${tierList(d)}\n`;
  return (
    head +
    textTable(d.fields, [
      { header: 'field', value: (f) => f.name },
      { header: 'type', value: (f) => f.type + (f.nullable ? '?' : '') },
      { header: 'light', value: (f) => (f.light ? 'yes' : 'no') },
      { header: 'ref', value: (f) => (f.ref ? `→ ${f.ref}` : '') },
      { header: 'description', value: (f) => f.doc },
    ])
  );
}
