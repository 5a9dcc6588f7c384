/** How a generation run is shown: progress lines and the end-of-run summary (plain text). */
import { textTable } from '../ui/text-table.js';
import type { GenProgress, GenSummary } from './generate.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** One line describing where the run is (a terminal redraws it; CI prints one per stage). */
export function formatProgress(event: GenProgress): string {
  switch (event.phase) {
    case 'model':
      return `modelling ${event.total.toLocaleString('en-US')} pins… ${pct(event.total === 0 ? 1 : event.done / event.total)}`;
    case 'write':
      return `writing ${event.dataset} ${event.done.toLocaleString('en-US')}/${event.total.toLocaleString('en-US')} rows`;
    case 'commit':
      return event.done === 0 ? 'moving the data set into place' : 'done';
  }
}

export function formatSummary(summary: GenSummary): string {
  const s = summary.stats;
  const table = textTable(summary.datasets, [
    { header: 'dataset', value: (d) => d.dataset },
    { header: 'rows', value: (d) => d.rows.toLocaleString('en-US'), align: 'right' },
    { header: 'bytes', value: (d) => formatBytes(d.bytes), align: 'right' },
    { header: 'time', value: (d) => `${(d.ms / 1000).toFixed(1)}s`, align: 'right' },
    { header: 'path', value: (d) => d.path },
  ]);
  const f = summary.flags;
  return [
    `generated ${summary.scale} data for ${summary.date} (seed ${summary.seed}) in ${(summary.timings.totalMs / 1000).toFixed(1)}s` +
      `${summary.replaced ? ', replacing the previous data set' : ''}`,
    `  data: ${summary.dataDir}`,
    '',
    table,
    '',
    'realism',
    `  repin share                         ${pct(s.repinShare)}`,
    `  deepest repin chain                 ${s.deepestChain} hops`,
    `  images uploaded more than once      ${pct(s.reuploadedImageShare)} of ${s.images.toLocaleString('en-US')} images`,
    `  pins held by the top 1% of images   ${pct(s.top1PctImagePinShare)} (most pinned image: ${s.maxPinsPerImage} pins)`,
    `  mislabeled boards                   ${pct(s.mislabelRate)} (--mislabel-rate ${f.mislabelRate})`,
    `  uploads on their board's category   ${pct(s.uploadAffinity)} (--upload-affinity ${f.uploadAffinity})`,
    `  repins onto the image's category    ${pct(s.repinAffinity)} (--repin-affinity ${f.repinAffinity})`,
    `  pins per user                       median ${s.medianPinsPerUser}, max ${s.maxPinsPerUser}; largest board ${s.maxPinsPerBoard} pins`,
  ].join('\n');
}
