import type { CreatedCandidate } from '../creation-api-stub';
import type { DemoSummary } from './demo-summary';

const n = (s: Record<string, string>, k: string) => Number(s[k] ?? 0);

/** One progress line: what the simulators moved and what each stage of the bridge has done so far. */
export function printProgress(elapsedMs: number, moved: number, stats: Record<string, string>, createdAtStub: number): void {
  console.log(
    `[${(elapsedMs / 1000).toFixed(0).padStart(4)} s] moved ${moved} | windows polled ${n(stats, 'windows_polled')} | ` +
      `candidates seen ${n(stats, 'candidates_seen')} (rejected ${n(stats, 'candidates_rejected')}) | new ${n(stats, 'candidates_new')} | ` +
      `created ${n(stats, 'candidates_created')} (stub: ${createdAtStub}) | duplicates ${n(stats, 'duplicates_detected')}`,
  );
}

/**
 * Prints the closing comparison; returns whether every moved candidate was created exactly once, and in time
 * when `pollIntervalMs` is given (it is not for historical fixture moves).
 */
export function printSummary(s: DemoSummary, pollIntervalMs: number | undefined, showCreated?: CreatedCandidate[]): boolean {
  const inTime = pollIntervalMs === undefined || (s.latencyMs !== undefined && s.latencyMs.lastMoved <= 2 * pollIntervalMs);
  const ok = s.missing.length === 0 && s.unexpected === 0 && s.duplicateCreations === 0 && s.created === s.expected && (inTime || s.expected === 0);
  const lines = [
    '',
    '── Summary ──────────────────────────────────────────────',
    `candidates moved by the simulators   ${s.moved}`,
    `expected creations (mapped)          ${s.expected}`,
    `candidates created at the stub       ${s.created}`,
    `missing                              ${s.missing.length}`,
    `created but never moved              ${s.unexpected}`,
    `duplicate creations                  ${s.duplicateCreations}`,
    `creation calls (409 repeats)         ${s.creationCalls} (${s.repeatCalls})`,
    ...(s.latencyMs && pollIntervalMs !== undefined
      ? [
          `move → created latency               p50 ${(s.latencyMs.p50 / 1000).toFixed(1)} s, max ${(s.latencyMs.max / 1000).toFixed(1)} s`,
          `last moved candidate created after   ${(s.latencyMs.lastMoved / 1000).toFixed(1)} s (limit: 2 poll intervals = ${(2 * pollIntervalMs) / 1000} s)`,
        ]
      : ['move → created latency               n/a (no live moves)']),
  ];
  if (showCreated) lines.push('', 'created:', ...showCreated.map((c) => `  ${c.assessmentId}  ${c.email}  (${c.externalCampaignId}, ${c.externalCandidateId})`));
  lines.push('', ok ? 'RESULT: OK — every moved candidate was created exactly once' : 'RESULT: MISMATCH — see the figures above');
  console.log(lines.join('\n'));
  return ok;
}
