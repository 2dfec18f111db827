/** A permanent, per-candidate failure told back to the ATS side: what failed, for which ATS record, why. */
export interface ErrorReport {
  accountId: string;
  /** `RECORD.EMAIL_MISSING`, `RECORD.CAMPAIGN_UNMAPPED`, `CREATION.REJECTED`, … */
  reason: string;
  detail: string;
  externalCandidateId: string;
  externalCampaignId: string;
  /** ISO instant of the failure. */
  failedAt: string;
}

/** The failures worth telling the ATS side about: a person there can fix the record or the mapping. */
export const REPORTABLE_REASONS: ReadonlySet<string> = new Set([
  'RECORD.EMAIL_MISSING',
  'RECORD.EMAIL_INVALID',
  'RECORD.CAMPAIGN_MISSING',
  'RECORD.CAMPAIGN_UNMAPPED',
  'CREATION.REJECTED',
]);

/**
 * Fills a JSON body template: every string that is exactly `{{field}}` becomes the field's value, and
 * `{{field}}` inside a longer string is replaced in place. Unknown fields become empty strings. Pure.
 */
export function renderTemplate(template: unknown, report: ErrorReport): unknown {
  const fields = report as unknown as Record<string, string>;
  if (typeof template === 'string') return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => fields[name] ?? '');
  if (Array.isArray(template)) return template.map((t) => renderTemplate(t, report));
  if (template && typeof template === 'object') return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderTemplate(v, report)]));
  return template;
}
