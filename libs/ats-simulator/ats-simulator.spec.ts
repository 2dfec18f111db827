import { AtsSimulator, startAtsSimulator } from './ats-simulator';
import type { AtsSimulatorOptions } from './ats-simulator.options';
import { parseIsoMoment } from './iso-moment';
import type { SimCandidate } from './sim-candidate';

const T0 = Date.parse('2026-11-18T09:00:00.000Z');
const iso = (epochMs: number) => new Date(epochMs).toISOString();

describe(AtsSimulator.name, () => {
  let simulator: AtsSimulator;
  let now: number;
  const start = async (options: AtsSimulatorOptions = {}) => {
    now = T0;
    simulator = await startAtsSimulator({ clock: () => now, ...options });
  };
  const queryWindow = async (from: string, to: string): Promise<SimCandidate[]> => {
    const url = new URL(simulator.url);
    url.search = new URLSearchParams({ From_Moment: from, To_Moment: to, format: 'json' }).toString();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return ((await res.json()) as { Report_Entry: SimCandidate[] }).Report_Entry;
  };
  /** Moves one candidate at each of T0, T0+1s, T0+2s. */
  const moveThreeOneSecondApart = () => [0, 1_000, 2_000].map((offset) => {
    now = T0 + offset;
    return simulator.moveNow().Candidate_ID;
  });

  afterEach(() => simulator.stop());

  describe('window query', () => {
    describe('with inclusive bounds (default)', () => {
      beforeEach(() => start());

      it('includes candidates moved exactly at either end', async () => {
        const ids = moveThreeOneSecondApart();
        expect((await queryWindow(iso(T0), iso(T0 + 2_000))).map((c) => c.Candidate_ID)).toEqual(ids);
      });

      it('excludes candidates one millisecond outside either end', async () => {
        const ids = moveThreeOneSecondApart();
        expect((await queryWindow(iso(T0 + 1), iso(T0 + 1_999))).map((c) => c.Candidate_ID)).toEqual([ids[1]]);
      });

      it('compares instants, whatever offset the bounds are written in', async () => {
        const ids = moveThreeOneSecondApart();
        const found = await queryWindow('2026-11-18T01:00:01.000-08:00', '2026-11-18T14:30:02.000+05:30');
        expect(found.map((c) => c.Candidate_ID)).toEqual(ids.slice(1));
      });

      it('answers an empty list for a window without moves', async () => {
        moveThreeOneSecondApart();
        expect(await queryWindow(iso(T0 - 60_000), iso(T0 - 1))).toEqual([]);
      });
    });

    describe('with exclusive-end bounds', () => {
      beforeEach(() => start({ bounds: 'exclusive-end' }));

      it('includes a move at the start and excludes one at the end', async () => {
        const ids = moveThreeOneSecondApart();
        expect((await queryWindow(iso(T0), iso(T0 + 2_000))).map((c) => c.Candidate_ID)).toEqual(ids.slice(0, 2));
      });

      it('includes a move one millisecond before the end', async () => {
        const ids = moveThreeOneSecondApart();
        expect((await queryWindow(iso(T0 + 1_000), iso(T0 + 2_001))).map((c) => c.Candidate_ID)).toEqual(ids.slice(1));
      });

      it('answers nothing for an empty window', async () => {
        moveThreeOneSecondApart();
        expect(await queryWindow(iso(T0), iso(T0))).toEqual([]);
      });
    });
  });

  describe('moveNow', () => {
    beforeEach(() => start());

    it('moves a chosen person again under a second requisition, titled like Workday does', async () => {
      const first = simulator.moveNow({ Email_Address: 'Priya.Raman@example.com', Job_Requisition_ID: 'R-10001' });
      const second = simulator.moveNow({ Email_Address: 'Priya.Raman@example.com', Job_Requisition_ID: 'R-10007' });
      expect(second.Job_Requisition).toBe('R-10007 Summer Intern, Data (Open)');
      expect(await queryWindow(iso(T0), iso(T0))).toEqual([first, second]);
    });

    it('takes a parseable Moved_to_Step_Moment as the instant, to backdate a move', async () => {
      const late = simulator.moveNow({ Moved_to_Step_Moment: '2026-11-18T00:30:00.000-08:00' });
      expect(await queryWindow(iso(T0), iso(T0))).toEqual([]);
      expect(await queryWindow('2026-11-18T08:30:00Z', '2026-11-18T08:30:00Z')).toEqual([late]);
    });

    it('serves an unparseable Moved_to_Step_Moment as given, in the window of the move time', async () => {
      simulator.moveNow({ Moved_to_Step_Moment: '2026-11-18T09:00:00' });
      expect((await queryWindow(iso(T0), iso(T0)))[0].Moved_to_Step_Moment).toBe('2026-11-18T09:00:00');
    });

    it('leaves out fields set to undefined, to make a record without email', async () => {
      simulator.moveNow({ Email_Address: undefined });
      expect(await queryWindow(iso(T0), iso(T0))).toEqual([expect.not.objectContaining({ Email_Address: expect.anything() })]);
    });

    it('keeps moved() a copy that callers cannot corrupt', () => {
      simulator.moveMany(3);
      simulator.moved()[0].Email_Address = 'changed@example.com';
      expect(simulator.moved()[0].Email_Address).not.toBe('changed@example.com');
      expect(simulator.movedCount).toBe(3);
    });
  });

  describe('timed moves', () => {
    it('moves at the steady rate plus bursts as the fake clock advances', async () => {
      await start({ ratePerSecond: 2, burst: { everyMs: 5_000, size: 25 } });
      now += 1_000;
      await simulator.waitForMoves(2);
      expect(simulator.movedCount).toBe(2);
      now += 9_000;
      await simulator.waitForMoves(70);
      expect(simulator.movedCount).toBe(70);
      const instants = simulator.moved().map((c) => parseIsoMoment(c.Moved_to_Step_Moment)!.epochMs);
      expect(instants.slice(0, 2)).toEqual([T0 + 1_000, T0 + 1_000]);
      expect(instants.slice(2)).toEqual(Array(68).fill(T0 + 10_000));
    });

    it('starts paused when asked and counts only clock time after resume', async () => {
      await start({ ratePerSecond: 1, startPaused: true });
      now += 60_000;
      simulator.resume();
      now += 3_000;
      await simulator.waitForMoves(3);
      expect(simulator.movedCount).toBe(3);
    });
  });

  describe('requests and waitForRequests', () => {
    beforeEach(() => start());

    it('logs each window query with bounds, status, count and clock time', async () => {
      moveThreeOneSecondApart();
      await queryWindow(iso(T0), iso(T0 + 1_000));
      const [record] = await simulator.waitForRequests(1);
      expect(record).toEqual({ from: new Date(T0), to: new Date(T0 + 1_000), status: 200, count: 2, at: new Date(T0 + 2_000) });
    });

    it('resolves from the request event when the query arrives later', async () => {
      const waiting = simulator.waitForRequests(2);
      await Promise.all([queryWindow(iso(T0), iso(T0)), queryWindow(iso(T0), iso(T0))]);
      await expect(waiting).resolves.toHaveLength(2);
    });

    it('rejects on timeout, saying how many queries were answered', async () => {
      await queryWindow(iso(T0), iso(T0));
      await expect(simulator.waitForRequests(3, 20)).rejects.toThrow('1 of 3 window queries answered after 20 ms');
    });
  });
});
