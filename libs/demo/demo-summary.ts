import type { SimCandidate } from '../ats-simulator';
import type { CreatedCandidate, CreationApiCall } from '../creation-api-stub';

/** A candidate the simulator moved, with the assessment it should be created for. */
export interface ExpectedCreation {
  accountId: string;
  assessmentId: string;
  email: string;
  movedAtMs: number;
}

export interface DemoSummary {
  moved: number;
  expected: number;
  created: number;
  missing: ExpectedCreation[];
  unexpected: number;
  creationCalls: number;
  /** Calls for a candidate that was already created (answered 409): harmless, counted to show it. */
  repeatCalls: number;
  /** Candidates created more than once, or called with two different Idempotency-Keys: must be zero. */
  duplicateCreations: number;
  latencyMs: { p50: number; max: number; lastMoved: number } | undefined;
}

/** The expected creations for moved candidates under an account's campaign map; unmapped ones are not expected. */
export function expectedCreations(accountId: string, moved: readonly SimCandidate[], campaigns: Record<string, string>): ExpectedCreation[] {
  return moved.flatMap((c) => {
    const assessmentId = campaigns[c.Job_Requisition_ID.trim()];
    return assessmentId ? [{ accountId, assessmentId, email: c.Email_Address.trim().toLowerCase(), movedAtMs: Date.parse(c.Moved_to_Step_Moment) }] : [];
  });
}

/** Compares what the ATS moved with what the platform received. Pure. */
export function summarise(moved: number, expected: readonly ExpectedCreation[], created: readonly CreatedCandidate[], calls: readonly CreationApiCall[]): DemoSummary {
  const key = (c: { assessmentId: string; email: string }) => `${c.assessmentId}\u0000${c.email}`;
  const expectedByKey = new Map(expected.map((e) => [key(e), e]));
  const createdByKey = new Map<string, CreatedCandidate[]>();
  for (const c of created) createdByKey.set(key(c), [...(createdByKey.get(key(c)) ?? []), c]);
  const keysPerCandidate = new Map<string, Set<string>>();
  for (const call of calls) {
    const body = call.body as { assessmentId?: string; email?: string } | undefined;
    if (!body?.assessmentId || !body.email || !call.idempotencyKey) continue;
    const k = key(body as { assessmentId: string; email: string });
    keysPerCandidate.set(k, (keysPerCandidate.get(k) ?? new Set()).add(call.idempotencyKey));
  }
  const latencies = [...createdByKey.entries()].flatMap(([k, [first]]) => {
    const e = expectedByKey.get(k);
    return e ? [{ movedAtMs: e.movedAtMs, latency: first.createdAt.getTime() - e.movedAtMs }] : [];
  });
  const sorted = latencies.map((l) => l.latency).sort((a, b) => a - b);
  const lastMoved = latencies.reduce<(typeof latencies)[number] | undefined>((acc, l) => (!acc || l.movedAtMs > acc.movedAtMs ? l : acc), undefined);
  return {
    moved,
    expected: expectedByKey.size,
    created: createdByKey.size,
    missing: [...expectedByKey.entries()].filter(([k]) => !createdByKey.has(k)).map(([, e]) => e),
    unexpected: [...createdByKey.keys()].filter((k) => !expectedByKey.has(k)).length,
    creationCalls: calls.length,
    repeatCalls: calls.filter((c) => c.status === 409).length,
    duplicateCreations:
      [...createdByKey.values()].filter((list) => list.length > 1).length + [...keysPerCandidate.values()].filter((keys) => keys.size > 1).length,
    latencyMs: sorted.length ? { p50: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], lastMoved: lastMoved!.latency } : undefined,
  };
}
