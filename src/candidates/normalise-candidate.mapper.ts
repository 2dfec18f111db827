import type { AccountConfig } from '../config/account.schema';
import type { Candidate, Rejection } from './candidate';
import { readDotPath } from './dot-path';
import { parseInstant } from './parse-instant';

export type NormalisedRecord = { ok: true; candidate: Candidate } | { ok: false; rejection: Rejection };

// Deliberately plain: one @, no spaces, a dot in the domain. Real validation is the platform's job.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** RFC 5321's limit for an address; longer names are cut, not rejected: they are display values. */
const MAX_EMAIL = 254;
const MAX_NAME = 200;
const MAX_ID = 200;

/** Turns one raw ATS record into a ledger candidate, or says precisely why it cannot. Pure. */
export function normaliseCandidate(record: unknown, account: AccountConfig): NormalisedRecord {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return reject('RECORD.NOT_AN_OBJECT', `expected an object, got ${Array.isArray(record) ? 'an array' : typeof record}`);
  }
  const { fields, timeZone } = account.connector;
  const read = (path: string) => asText(readDotPath(record, path));

  const rawEmail = read(fields.email);
  if (!rawEmail) return reject('RECORD.EMAIL_MISSING', `no value at "${fields.email}"`);
  // NFC: the same address typed on two systems can arrive in two Unicode forms; it is one candidate.
  const email = rawEmail.normalize('NFC').trim().toLowerCase();
  if (email.length > MAX_EMAIL || !EMAIL.test(email)) return reject('RECORD.EMAIL_INVALID', `value at "${fields.email}" is not an email address`);

  const externalCampaignId = read(fields.externalCampaignId)?.trim();
  if (!externalCampaignId) return reject('RECORD.CAMPAIGN_MISSING', `no value at "${fields.externalCampaignId}"`);
  // Own keys only: a campaign called "constructor" must not find Object.prototype's.
  const assessmentId = Object.hasOwn(account.campaigns, externalCampaignId) ? account.campaigns[externalCampaignId] : undefined;
  if (!assessmentId) return reject('RECORD.CAMPAIGN_UNMAPPED', `campaign "${externalCampaignId.slice(0, MAX_ID)}" has no assessment in account "${account.id}"`);

  const externalCandidateId = read(fields.externalCandidateId)?.trim();
  if (!externalCandidateId) return reject('RECORD.CANDIDATE_ID_MISSING', `no value at "${fields.externalCandidateId}"`);
  if (externalCandidateId.length > MAX_ID) return reject('RECORD.CANDIDATE_ID_INVALID', `value at "${fields.externalCandidateId}" is longer than ${MAX_ID} characters`);

  const movedAtMs = parseInstant(readDotPath(record, fields.movedAt), timeZone);
  if (movedAtMs === undefined) return reject('RECORD.MOVED_AT_INVALID', `value at "${fields.movedAt}" is not a timestamp`);

  return {
    ok: true,
    candidate: {
      accountId: account.id,
      assessmentId,
      email: detached(email),
      firstName: detached(displayName(read(fields.firstName))),
      lastName: detached(displayName(read(fields.lastName))),
      externalCandidateId: detached(externalCandidateId),
      externalCampaignId: detached(externalCampaignId),
      movedAt: new Date(movedAtMs).toISOString(),
    },
  };
}

/** Trimmed and cut to {@link MAX_NAME}, never between the two halves of a surrogate pair. */
function displayName(raw: string | undefined): string {
  const text = raw?.trim() ?? '';
  if (text.length <= MAX_NAME) return text;
  const end = isHighSurrogate(text.charCodeAt(MAX_NAME - 1)) ? MAX_NAME - 1 : MAX_NAME;
  return text.slice(0, end);
}

/**
 * A copy that shares no memory with the string it came from. V8 keeps the whole of a string alive behind a
 * slice or trim of it, and the JSON parser cuts every value out of its chunk buffer: a 33-character id or a
 * 200-character name would hold a 64 KB chunk (or a 60 KB field) for as long as its candidate waits in a
 * write buffer, and 1,500 candidates per window of such records exhaust the worker's heap.
 */
function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** ATSs send ids as numbers or strings interchangeably; both mean the same id. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function reject(reason: Rejection['reason'], detail: string): NormalisedRecord {
  return { ok: false, rejection: { reason, detail } };
}
