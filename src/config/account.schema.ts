import { z } from 'zod';
import { isKnownTimeZone } from '../candidates/parse-instant';

// Coerced, so `pollIntervalMs: ${POLL_MS}` (a string once interpolated) works like a literal number.
const durationMs = z.coerce.number().int().positive();
const dotPath = z.string().min(1);

/** How an instant is written into a window query parameter. */
export const windowParamFormat = z.enum(['iso-utc', 'iso-offset', 'epoch-ms', 'epoch-s', 'date-offset']);
export type WindowParamFormat = z.infer<typeof windowParamFormat>;

/** Which window bounds the ATS includes: a record exactly on an exclusive bound is not returned. */
export const windowBounds = z.enum(['inclusive', 'exclusive-start', 'exclusive-end', 'exclusive']);
export type WindowBounds = z.infer<typeof windowBounds>;

/**
 * The generic HTTP connector for a legacy read endpoint that returns every candidate moved in a window.
 * Secrets never appear here: `auth.valueEnv` names the environment variable that holds the header value.
 */
export const httpConnectorSchema = z.strictObject({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['GET', 'POST']).default('GET'),
  window: z.strictObject({
    fromParam: z.string().min(1),
    toParam: z.string().min(1),
    format: windowParamFormat.default('iso-utc'),
    bounds: windowBounds.default('inclusive'),
  }),
  /** Extra query parameters sent with every request (e.g. `format: json`). */
  query: z.record(z.string(), z.string()).default({}),
  /** IANA zone for timestamps that carry no offset, and for `iso-offset`/`date-offset` parameters. */
  timeZone: z.string().refine(isKnownTimeZone, 'an IANA time zone such as Europe/Berlin').default('UTC'),
  auth: z
    .strictObject({
      header: z.string().min(1).default('Authorization'),
      /** Name of the environment variable holding the full header value (e.g. "Bearer …"). */
      valueEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like ACME_ATS_TOKEN'),
    })
    .optional(),
  /** Dot path to the record array in the body; omit when the body is a top-level array. */
  recordsPath: z.string().min(1).optional(),
  fields: z.strictObject({
    email: dotPath,
    firstName: dotPath,
    lastName: dotPath,
    externalCandidateId: dotPath,
    externalCampaignId: dotPath,
    movedAt: dotPath,
  }),
  /** Connect, time to response headers (slow reports run long before answering), and the whole body. */
  timeouts: z
    .strictObject({ connectMs: durationMs.default(10_000), headersMs: durationMs.default(300_000), bodyMs: durationMs.default(300_000) })
    .prefault({}),
  /** A body over `maxBodyBytes` or a record over `maxRecordBytes` fails the window with an error saying so; a smaller window is tried. */
  limits: z
    .strictObject({ maxBodyBytes: z.coerce.number().int().positive().default(512 * 1024 * 1024), maxRecordBytes: z.coerce.number().int().positive().default(64 * 1024) })
    .prefault({}),
});
export type HttpConnectorConfig = z.infer<typeof httpConnectorSchema>;

/** Where permanent per-candidate failures are told to the ATS side; default: the log only. */
export const errorSinkSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('log') }),
  z.strictObject({
    type: z.literal('http'),
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    auth: z.strictObject({ header: z.string().min(1).default('Authorization'), valueEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name') }).optional(),
    /** JSON body; strings like "{{externalCandidateId}}" are filled in (reason, detail, accountId, externalCampaignId, failedAt). */
    bodyTemplate: z.record(z.string(), z.unknown()),
  }),
]);

export const accountSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" or "_" (at most 63)'),
  enabled: z.boolean().default(true),
  /** How often a new window is polled. */
  pollIntervalMs: durationMs,
  /** How far each window reaches back before the watermark, to catch records the ATS indexes late. */
  overlapMs: z.coerce.number().int().nonnegative(),
  /** How long to wait after a moment before polling it, for ATS clocks and indexing lag. */
  settleMs: z.coerce.number().int().nonnegative().default(0),
  /** The widest window asked for; after downtime the gap is caught up in slices this wide, oldest first. */
  maxWindowMs: durationMs.default(6 * 3_600_000),
  /** A failing window is halved down to this width; below it, it is retried with long backoff and alerted. */
  minWindowMs: durationMs.default(60_000),
  /** Where coverage starts for an account that has never been polled (ISO-8601). Default: its first tick; the first window still reaches `overlapMs` back. */
  startAt: z.iso.datetime({ offset: true }).optional(),
  connector: httpConnectorSchema,
  /** External campaign (requisition, job) id → assessment id. Unmapped campaigns are rejected, not guessed. */
  campaigns: z.record(z.string().min(1), z.string().min(1)).refine((m) => Object.keys(m).length > 0, 'at least one campaign mapping'),
  errorSink: errorSinkSchema.default({ type: 'log' }),
});
export type AccountConfig = z.infer<typeof accountSchema>;

export const accountsFileSchema = z
  .strictObject({ accounts: z.array(accountSchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.accounts.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `duplicate account id "${a.id}"` });
      seen.add(a.id);
    });
  });
