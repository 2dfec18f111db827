import { formatIsoMoment } from './iso-moment';
import { SeededRandom } from './seeded-random';

/** One entry of the Workday RaaS `Report_Entry` array; every value is a string, as Workday sends it. */
export interface SimCandidate {
  Candidate_ID: string;
  First_Name: string;
  Last_Name: string;
  Email_Address: string;
  Job_Requisition_ID: string;
  Job_Requisition: string;
  Recruiting_Step: string;
  Moved_to_Step_Moment: string;
}

const FIRST_NAMES = ['Priya', 'Jonas', 'Amara', 'Zoë', 'Łukasz', 'José', 'Mei', 'Søren', 'Chloé', 'Mateo',
  'Aisha', 'Björn', 'Hana', 'Noah', 'Élodie', 'Kenji', 'Fatima', 'Liam', 'Ingrid', 'Oluwaseun'];
const LAST_NAMES = ['Raman', 'Berg', 'Okafor', 'Müller', 'Wójcik', 'García', 'Chen', 'Adeyemi', 'Nørgaard',
  'Dubois', 'Rossi', 'Khan', 'Lindqvist', 'Sato', 'Smith', "O'Brien", 'Núñez', 'Haddad', 'Kowalski', 'Åberg'];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const REQUISITION_TITLES = ['Graduate Software Engineer', 'Summer Intern, Data', 'Customer Success Associate',
  'Junior Financial Analyst', 'Warehouse Operations Trainee', 'Product Design Intern'];
/** Offsets seen in real tenants; -08:00 and +05:30 catch code that assumes whole-hour or positive offsets. */
const OFFSET_MINUTES = [0, -480, 60, 330];
/** Share of emails sent with capitals and surrounding spaces, to exercise normalisation. */
const UNTIDY_EMAIL_SHARE = 0.2;

/** Trimmed and lower-cased: the form the bridge keys the ledger on. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Makes plausible, deterministic candidates. Normalised emails are unique across everything it made and
 * everything it was told about (`reserveEmail`), so a duplicate only ever appears when a test asks for one.
 */
export class CandidateFactory {
  private readonly random: SeededRandom;
  private readonly usedEmails = new Set<string>();
  private sequence = 0;

  constructor(seed: number, private readonly requisitions: readonly string[]) {
    this.random = new SeededRandom(seed);
  }

  /** A new candidate who moved to the Assessment step at `instantMs`. */
  make(instantMs: number): SimCandidate {
    this.sequence += 1;
    const first = this.random.pick(FIRST_NAMES);
    const last = this.random.pick(LAST_NAMES);
    const requisitionId = this.random.pick(this.requisitions);
    return {
      Candidate_ID: `C-${3_000_000 + this.sequence}`,
      First_Name: first,
      Last_Name: last,
      Email_Address: this.makeEmail(first, last),
      Job_Requisition_ID: requisitionId,
      Job_Requisition: this.requisitionTitle(requisitionId),
      Recruiting_Step: 'Assessment',
      Moved_to_Step_Moment: formatIsoMoment(instantMs, this.random.pick(OFFSET_MINUTES)),
    };
  }

  /** The display name Workday sends beside a requisition id, e.g. "R-10001 Graduate Software Engineer (Open)". */
  requisitionTitle(requisitionId: string): string {
    const index = Math.max(0, this.requisitions.indexOf(requisitionId));
    return `${requisitionId} ${REQUISITION_TITLES[index % REQUISITION_TITLES.length]} (Open)`;
  }

  /** Keeps generated emails clear of one a test chose itself. */
  reserveEmail(email: string): void {
    this.usedEmails.add(normaliseEmail(email));
  }

  private makeEmail(first: string, last: string): string {
    const local = `${asciiLetters(first)}.${asciiLetters(last)}`;
    const domain = this.random.pick(DOMAINS);
    let email = `${local}@${domain}`;
    for (let suffix = this.sequence; this.usedEmails.has(email); suffix += 1) email = `${local}.${suffix}@${domain}`;
    this.usedEmails.add(email);
    return this.random.chance(UNTIDY_EMAIL_SHARE) ? untidy(email) : email;
  }
}

const asciiCache = new Map<string, string>();

/** "Łukasz" → "lukasz", "O'Brien" → "obrien": emails stay ASCII even when names do not. Cached: bursts make 100k at once. */
function asciiLetters(name: string): string {
  let ascii = asciiCache.get(name);
  if (ascii === undefined) asciiCache.set(name, (ascii = foldToAsciiLetters(name)));
  return ascii;
}

function foldToAsciiLetters(name: string): string {
  const folded = name.normalize('NFD').replace(/\p{M}/gu, '');
  return folded.replace(/[łŁ]/g, 'l').replace(/[øØ]/g, 'o').toLowerCase().replace(/[^a-z]/g, '');
}

/** "jonas.berg@example.com" → " Jonas.Berg@Example.com " */
function untidy(email: string): string {
  const capitalised = email.replace(/(^|[.@])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
  return ` ${capitalised} `;
}
