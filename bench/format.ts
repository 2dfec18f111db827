/** Formatting with units, so no figure in the output is a bare number. */

export const MIB = 1024 * 1024;

export function seconds(ms: number, digits = 2): string {
  return `${(ms / 1000).toFixed(digits)} s`;
}

export function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** MiB and decimal MB side by side: targets are stated in MB, /proc reports kibibytes. */
export function mibAndMb(bytes: number): string {
  return `${mib(bytes)} (${(bytes / 1e6).toFixed(1)} MB)`;
}

export function perSecond(count: number, ms: number, unit = 'items/s'): string {
  return `${Math.round(count / (ms / 1000)).toLocaleString('en-US')} ${unit}`;
}

export function count(n: number, unit: string): string {
  return `${n.toLocaleString('en-US')} ${unit}`;
}

export function ratio(value: number, digits = 2): string {
  return `${value.toFixed(digits)}×`;
}

export function percent(value: number, digits = 1): string {
  return `${(value * 100).toFixed(digits)} %`;
}

export function verdict(pass: boolean): string {
  return pass ? 'PASS' : 'FAIL';
}

/** Nearest-rank percentile of an ascending list; undefined for an empty list. */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (sortedAscending.length === 0) return undefined;
  const rank = Math.min(sortedAscending.length, Math.max(1, Math.ceil((p / 100) * sortedAscending.length)));
  return sortedAscending[rank - 1];
}

/** Prints a section heading. */
export function heading(title: string): void {
  console.log(`\n== ${title} ${'='.repeat(Math.max(3, 96 - title.length))}`);
}

/** Prints `label  value` rows with the labels aligned. */
export function rows(entries: ReadonlyArray<readonly [string, string]>, indent = '  '): void {
  const width = Math.max(...entries.map(([label]) => label.length));
  for (const [label, value] of entries) console.log(`${indent}${label.padEnd(width)}  ${value}`);
}
