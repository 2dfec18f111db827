/** The creation API's request body, per the design's "Contracts". */
export interface CreationRequestBody {
  accountId: string;
  assessmentId: string;
  email: string;
  firstName: string;
  lastName: string;
  externalCandidateId: string;
  externalCampaignId: string;
  movedAt: string;
}

const REQUIRED_FIELDS = ['accountId', 'assessmentId', 'email', 'firstName', 'lastName', 'externalCandidateId', 'externalCampaignId', 'movedAt'] as const;
/** A real candidate may lack a name part; every other field identifies something and must not be blank. */
const MAY_BE_EMPTY = new Set<string>(['firstName', 'lastName']);

/** Why a request was refused, with an `AREA.REASON` code and a message that says what to fix. */
export interface CreationRequestProblem {
  code: string;
  message: string;
}

/** Either the accepted body or the first problem found. */
export type CreationRequestCheck = { body: CreationRequestBody } | { problem: CreationRequestProblem };

/** Parses the raw body and checks it against the contract. */
export function validateCreationRequest(rawBody: string): CreationRequestCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch (error) {
    return problem('CREATION.INVALID_JSON', `Body is not valid JSON (${(error as Error).message}); send a JSON object.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return problem('CREATION.BODY_NOT_OBJECT', `Body must be a JSON object with ${REQUIRED_FIELDS.join(', ')}.`);
  }
  const fields = parsed as Record<string, unknown>;
  const missing = REQUIRED_FIELDS.filter((name) => typeof fields[name] !== 'string' || (!MAY_BE_EMPTY.has(name) && (fields[name] as string).trim() === ''));
  if (missing.length > 0) {
    return problem('CREATION.MISSING_FIELDS', `Missing, blank or non-string field(s): ${missing.join(', ')}.`);
  }
  if (Number.isNaN(Date.parse(fields.movedAt as string))) {
    return problem('CREATION.INVALID_MOVED_AT', `movedAt "${String(fields.movedAt)}" is not an ISO-8601 instant, e.g. 2026-11-18T09:12:44.210Z.`);
  }
  return { body: fields as unknown as CreationRequestBody };
}

function problem(code: string, message: string): CreationRequestCheck {
  return { problem: { code, message } };
}
