/** "$0.42", "$12.30", and a small amount with two significant digits, "$0.0049", so a cheap run never reads as free. */
export function formatUsd(usd: number): string {
  const small = usd > 0 ? Number(usd.toPrecision(2)) : 0;
  if (small > 0 && small < 0.01) return `$${small.toFixed(Math.min(20, 1 - Math.floor(Math.log10(small))))}`;
  return `$${usd.toFixed(2)}`;
}

/** "950", "12.3k", "4.1M" */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(Math.round(tokens));
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(tokens < 10_000 ? 1 : 0)}k`;
  return `${(tokens / 1_000_000).toFixed(1)}M`;
}

/** "8s", "2m05s", "1h02m" */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

export function totalTokens(usage: { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number }): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheWriteTokens + usage.cacheReadTokens;
}

/** "1 file", "3 files" */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
