/**
 * `GET /metrics`: Prometheus text exposition (version 0.0.4) of request counters and latency
 * histograms per plan and per node. Hand-written (a few dozen lines) rather than a client library:
 * the format is simple and stable, and the server stays dependency-free.
 */

/** Latency buckets in seconds: from 100 µs (a prod lookup) to 10 s (an archive scan). */
export const BUCKETS_S = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

class Histogram {
  readonly counts = new Array<number>(BUCKETS_S.length).fill(0);
  count = 0;
  sum = 0;
  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS_S.length; i++) {
      if (seconds <= BUCKETS_S[i]!) {
        this.counts[i]!++;
        break;
      }
    }
  }
}

type Labels = Record<string, string>;

/** A process's metrics as plain data, to add up several processes' (`disco serve --workers`). */
export interface MetricsSnapshot {
  counters: Array<[name: string, labels: Labels, value: number]>;
  histograms: Array<[name: string, labels: Labels, counts: number[], count: number, sum: number]>;
}

const escapeLabel = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
/** A series' key within its family: label values only (a family's label names are fixed by its callers). */
const labelKey = (labels: Labels): string => {
  let key = '';
  for (const name in labels) key += `${labels[name]}\u0001`;
  return key;
};
const labelText = (labels: Labels): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');

export class Metrics {
  private readonly counters = new Map<string, Map<string, { labels: Labels; value: number }>>();
  private readonly histograms = new Map<string, Map<string, { labels: Labels; h: Histogram }>>();
  private readonly help: Record<string, string> = {
    disco_http_requests_total: 'HTTP requests answered, by route and status code.',
    disco_plan_requests_total: 'Plan runs, by plan and outcome (ok, bad_request, error, deadline).',
    disco_plan_errors_total: 'Plan runs that failed (status 500 or 504), by plan.',
    disco_plan_latency_seconds: 'Latency of successful plan runs, by plan.',
    disco_node_latency_seconds: 'Latency of each node of a plan, by plan and node.',
    disco_node_errors_total: 'Node failures (including on_error: empty), by plan and node.',
  };

  inc(name: string, labels: Labels, by = 1): void {
    let family = this.counters.get(name);
    if (!family) {
      family = new Map();
      this.counters.set(name, family);
    }
    const key = labelKey(labels);
    const entry = family.get(key);
    if (entry) entry.value += by;
    else family.set(key, { labels, value: by });
  }

  observe(name: string, labels: Labels, seconds: number): void {
    this.histogram(name, labels).observe(seconds);
  }

  private histogram(name: string, labels: Labels): Histogram {
    let family = this.histograms.get(name);
    if (!family) {
      family = new Map();
      this.histograms.set(name, family);
    }
    const key = labelKey(labels);
    let entry = family.get(key);
    if (!entry) {
      entry = { labels, h: new Histogram() };
      family.set(key, entry);
    }
    return entry.h;
  }

  snapshot(): MetricsSnapshot {
    const counters: MetricsSnapshot['counters'] = [];
    for (const [name, family] of this.counters)
      for (const { labels, value } of family.values()) counters.push([name, labels, value]);
    const histograms: MetricsSnapshot['histograms'] = [];
    for (const [name, family] of this.histograms)
      for (const { labels, h } of family.values()) histograms.push([name, labels, h.counts, h.count, h.sum]);
    return { counters, histograms };
  }

  /** Adds another process's figures to these. */
  add(snapshot: MetricsSnapshot): void {
    for (const [name, labels, value] of snapshot.counters) this.inc(name, labels, value);
    for (const [name, labels, counts, count, sum] of snapshot.histograms) {
      const h = this.histogram(name, labels);
      h.count += count;
      h.sum += sum;
      for (let i = 0; i < counts.length; i++) h.counts[i]! += counts[i]!;
    }
  }

  /** The exposition text. */
  render(): string {
    const out: string[] = [];
    for (const [name, family] of this.counters) {
      out.push(`# HELP ${name} ${this.help[name] ?? name}`, `# TYPE ${name} counter`);
      for (const { labels, value } of family.values()) out.push(`${name}{${labelText(labels)}} ${value}`);
    }
    for (const [name, family] of this.histograms) {
      out.push(`# HELP ${name} ${this.help[name] ?? name}`, `# TYPE ${name} histogram`);
      for (const { labels, h } of family.values()) {
        const l = labelText(labels);
        let cumulative = 0;
        for (let i = 0; i < BUCKETS_S.length; i++) {
          cumulative += h.counts[i]!;
          out.push(`${name}_bucket{${l},le="${BUCKETS_S[i]}"} ${cumulative}`);
        }
        out.push(`${name}_bucket{${l},le="+Inf"} ${h.count}`);
        out.push(`${name}_sum{${l}} ${h.sum}`);
        out.push(`${name}_count{${l}} ${h.count}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}
