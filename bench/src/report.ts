import type { BenchClient, ChannelKind } from './clients/bench-client';
import type { Medians, Metric } from './metrics';

/** One table per workload (churn: one per size): rows are clients, medians over the runs. */
export function renderTables(clients: readonly BenchClient[], metrics: readonly Metric[], medians: Medians): string {
  const groups = new Map<string, Metric[]>();
  for (const metric of metrics) {
    const title = metric.workload === 'churn' ? `churn ${metric.id.slice(5, metric.id.indexOf('.'))}` : metric.workload;
    groups.set(title, [...(groups.get(title) ?? []), metric]);
  }
  const sections: string[] = [];
  for (const [title, group] of groups) {
    const rows = clients.filter((c) => group.some((m) => medians[c.id]?.[m.id] !== undefined));
    if (rows.length === 0) continue;
    const headers = ['client', ...group.flatMap((m) => (m.ratios ? [m.label, '×raw', '×peer'] : [m.label]))];
    const body = rows.map((client) => [
      client.label,
      ...group.flatMap((metric) => {
        const value = medians[client.id]?.[metric.id];
        const cell = value === undefined ? 'n/a' : metric.format(value);
        if (!metric.ratios) return [cell];
        return [cell, ratio(value, rawValue(clients, medians, metric, client.kind)), ratio(value, bestPeer(clients, medians, metric, client.kind))];
      }),
    ]);
    sections.push(`### ${title}\n\n${markdownTable(headers, body)}`);
  }
  return sections.join('\n\n');
}

/** The raw ioredis figure of the same kind (classic or sharded). */
export function rawValue(clients: readonly BenchClient[], medians: Medians, metric: Metric, kind: ChannelKind): number | undefined {
  const raw = clients.find((c) => c.family === 'raw' && c.kind === kind);
  return raw ? medians[raw.id]?.[metric.id] : undefined;
}

/** The best figure among the other cluster clients (ioredis Cluster, node-redis) of the same kind. */
export function bestPeer(clients: readonly BenchClient[], medians: Medians, metric: Metric, kind: ChannelKind): number | undefined {
  const values = clients
    .filter((c) => c.family === 'peer' && c.kind === kind)
    .map((c) => medians[c.id]?.[metric.id])
    .filter((v): v is number => v !== undefined);
  if (values.length === 0) return undefined;
  return metric.better === 'lower' ? Math.min(...values) : Math.max(...values);
}

function ratio(value: number | undefined, reference: number | undefined): string {
  if (value === undefined || reference === undefined || reference === 0) return '–';
  if (!Number.isFinite(value) || !Number.isFinite(reference)) return '–';
  const r = value / reference;
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
}

function markdownTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
