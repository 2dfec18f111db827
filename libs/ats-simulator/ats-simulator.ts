import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveAtsSimulatorOptions, type AtsSimulatorOptions, type ResolvedAtsSimulatorOptions } from './ats-simulator.options';
import { parseIsoMoment } from './iso-moment';
import { MoveGenerator } from './move-generator';
import { createReportListener, type FailureHook, type WindowRequestRecord } from './report-endpoint';
import { CandidateFactory, type SimCandidate } from './sim-candidate';
import { waitUntil } from '../testing/wait-until';

/** Default of the `waitFor…` timeouts: under Jest's 5 s test timeout, so our message explains the failure, not Jest's. */
const DEFAULT_WAIT_MS = 4_000;

interface MovedCandidate {
  entry: SimCandidate;
  /** The instant windows are matched against: the move time, or the test's own parseable Moved_to_Step_Moment. */
  instantMs: number;
}

interface Fixture {
  bytes: Buffer;
  entries: SimCandidate[];
}

/**
 * A legacy ATS read endpoint in the Workday RaaS shape, moving candidates into "Assessment" over time.
 * Events on `events`: `moved` (SimCandidate) after each move, `request` (WindowRequestRecord) after each
 * window query was answered.
 */
export class AtsSimulator {
  readonly events = new EventEmitter();
  private readonly candidates: MovedCandidate[] = [];
  private readonly log: WindowRequestRecord[] = [];
  private readonly factory: CandidateFactory;
  private readonly generator: MoveGenerator;
  private readonly server: Server;
  private answeredCount = 0;
  private failure?: FailureHook;
  private stopping?: Promise<void>;
  private baseUrl = '';

  /** Starts the simulator on 127.0.0.1; see {@link AtsSimulatorOptions} for defaults. */
  static async start(options: AtsSimulatorOptions = {}): Promise<AtsSimulator> {
    const resolved = resolveAtsSimulatorOptions(options);
    const fixture = resolved.fixtureFile ? await loadFixture(resolved.fixtureFile) : undefined;
    const simulator = new AtsSimulator(resolved, fixture);
    await new Promise<void>((resolve, reject) => {
      simulator.server.once('error', reject);
      simulator.server.listen(resolved.port, '127.0.0.1', () => resolve());
    });
    const { port } = simulator.server.address() as AddressInfo;
    simulator.baseUrl = `http://127.0.0.1:${port}`;
    if (!fixture) simulator.generator.start();
    return simulator;
  }

  private constructor(private readonly options: ResolvedAtsSimulatorOptions, private readonly fixture?: Fixture) {
    this.factory = new CandidateFactory(options.seed, options.requisitions);
    this.generator = new MoveGenerator(options.ratePerSecond, options.burst, options.clock, (count) => this.generate(count), options.startPaused);
    this.server = createServer(createReportListener(options, {
      select: (window) => fixture
        ? { count: fixture.entries.length, entries: fixture.entries, verbatim: fixture.bytes }
        : entriesWithCount(this.candidates.filter((c) => window.contains(c.instantMs)).map((c) => c.entry)),
      failureFor: (window) => this.failure?.(window),
      logged: (record) => this.log.push(record),
      answered: (record) => {
        this.answeredCount += 1;
        this.events.emit('request', { ...record });
      },
    }));
  }

  /** Full URL of the report endpoint, without query. */
  get url(): string {
    return this.baseUrl + this.options.path;
  }

  get movedCount(): number {
    return this.fixture ? this.fixture.entries.length : this.candidates.length;
  }

  /** Every candidate moved so far, oldest first (copies). */
  moved(): SimCandidate[] {
    const entries = this.fixture ? this.fixture.entries : this.candidates.map((c) => c.entry);
    return entries.map((entry) => ({ ...entry }));
  }

  /**
   * Moves one candidate now. `partial` overrides generated fields; a field set to `undefined` is left out of
   * the report (a record without email). A parseable `Moved_to_Step_Moment` also sets the instant windows
   * match against (backdating); an unparseable one is served as given, matched at the move time.
   */
  moveNow(partial: Partial<SimCandidate> = {}): SimCandidate {
    this.assertGenerating('moveNow');
    const now = this.options.clock();
    if (partial.Email_Address) this.factory.reserveEmail(partial.Email_Address);
    const entry = { ...this.factory.make(now), ...partial };
    if (partial.Job_Requisition_ID && !('Job_Requisition' in partial)) {
      entry.Job_Requisition = this.factory.requisitionTitle(partial.Job_Requisition_ID);
    }
    const chosenMoment = partial.Moved_to_Step_Moment ? parseIsoMoment(partial.Moved_to_Step_Moment) : undefined;
    this.add(entry, chosenMoment?.epochMs ?? now);
    return { ...entry };
  }

  /** Moves `count` generated candidates now. */
  moveMany(count: number): SimCandidate[] {
    return Array.from({ length: count }, () => this.moveNow());
  }

  /** Stops timed moves (moves already due happen first); manual moves still work. */
  pause(): void {
    this.generator.pause();
  }

  /** Resumes timed moves; clock time spent paused does not count towards the rate or bursts. */
  resume(): void {
    this.generator.resume();
  }

  /** Every window query so far (including 400/401 and injected failures), oldest first. */
  requests(): WindowRequestRecord[] {
    return this.log.map((record) => ({ ...record }));
  }

  /** Resolves once at least `count` window queries were answered; rejects after `timeoutMs` saying how many were. */
  async waitForRequests(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<WindowRequestRecord[]> {
    await waitUntil(this.events, 'request', () => this.answeredCount >= count, timeoutMs,
      () => `ATS simulator: ${this.answeredCount} of ${count} window queries answered after ${timeoutMs} ms.`);
    return this.requests();
  }

  /** Resolves once at least `count` candidates were moved; rejects after `timeoutMs` saying how many were. */
  async waitForMoves(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<SimCandidate[]> {
    await waitUntil(this.events, 'moved', () => this.movedCount >= count, timeoutMs,
      () => `ATS simulator: ${this.movedCount} of ${count} candidates moved after ${timeoutMs} ms.`);
    return this.moved();
  }

  /** Installs (or, with no argument, removes) the fault hook consulted before every data answer. */
  setFailure(hook?: FailureHook): void {
    this.failure = hook;
  }

  /** Stops moves and the server, dropping open connections; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= new Promise((resolve) => {
      this.generator.stop();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  private generate(count: number): void {
    const now = this.options.clock();
    for (let i = 0; i < count; i += 1) this.add(this.factory.make(now), now);
  }

  private add(entry: SimCandidate, instantMs: number): void {
    this.candidates.push({ entry, instantMs });
    this.events.emit('moved', { ...entry });
  }

  private assertGenerating(method: string): void {
    if (this.fixture) throw new Error(`ATS simulator: ${method}() is not available in fixture mode; the fixture file is the only data.`);
  }

}

/** Starts an {@link AtsSimulator}; see {@link AtsSimulatorOptions}. */
export function startAtsSimulator(options: AtsSimulatorOptions = {}): Promise<AtsSimulator> {
  return AtsSimulator.start(options);
}

function entriesWithCount(entries: SimCandidate[]): { count: number; entries: SimCandidate[] } {
  return { count: entries.length, entries };
}

async function loadFixture(file: string): Promise<Fixture> {
  const bytes = await readFile(file);
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    const entries = (parsed as { Report_Entry?: unknown })?.Report_Entry;
    return { bytes, entries: Array.isArray(entries) ? (entries as SimCandidate[]) : [] };
  } catch {
    // Broken fixtures are the point of fixture mode (HTML, truncated bodies); they simply have no entries.
    return { bytes, entries: [] };
  }
}
