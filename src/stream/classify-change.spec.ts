import { toLedgerItem } from '../ledger/ledger-item.mapper';
import type { Candidate } from '../candidates/candidate';
import type { ChangeRecord } from './change-record';
import { creationTimeMs, decodeChangeRecord } from './change-record';
import { classifyChange } from './classify-change';

const jo: Candidate = {
  accountId: 'acme', assessmentId: 'asm-1', email: 'jo@example.com', firstName: 'Jo', lastName: 'Ng',
  externalCandidateId: 'C-1', externalCampaignId: 'R-1', movedAt: '2026-11-18T09:00:00.000Z',
};
const image = (c: Candidate) => toLedgerItem(c, 400);
const record = (eventName: ChangeRecord['eventName'], images: Partial<ChangeRecord['dynamodb']>, userIdentity: ChangeRecord['userIdentity'] = null): ChangeRecord => ({
  eventID: 'e', eventName, tableName: 't', userIdentity,
  dynamodb: { ApproximateCreationDateTime: 1764760000123, Keys: { assessmentId: { S: 'asm-1' }, email: { S: 'jo@example.com' } }, ...images },
});

describe(classifyChange.name, () => {
  it('reads an INSERT as a discovered candidate', () => {
    expect(classifyChange(record('INSERT', { NewImage: image(jo) }))).toEqual({ kind: 'discovered', candidate: jo });
  });

  it('reads a MODIFY with another campaign as a duplicate, with both sides', () => {
    const again = { ...jo, externalCampaignId: 'R-2' };
    expect(classifyChange(record('MODIFY', { OldImage: image(jo), NewImage: image(again) }))).toEqual({ kind: 'duplicate', previous: jo, current: again });
  });

  it('reads a MODIFY with another external candidate id as a duplicate', () => {
    const again = { ...jo, externalCandidateId: 'C-9' };
    expect(classifyChange(record('MODIFY', { OldImage: image(jo), NewImage: image(again) })).kind).toBe('duplicate');
  });

  it('ignores a MODIFY of anything else', () => {
    const renamed = { ...jo, firstName: 'Joanna' };
    expect(classifyChange(record('MODIFY', { OldImage: image(jo), NewImage: image(renamed) }))).toEqual({ kind: 'ignored', reason: 'MODIFY_SAME_CANDIDATE' });
  });

  it('tells TTL expiry from other removals', () => {
    expect(classifyChange(record('REMOVE', { OldImage: image(jo) }, { type: 'Service', principalId: 'dynamodb.amazonaws.com' }))).toEqual({ kind: 'ignored', reason: 'TTL_EXPIRY' });
    expect(classifyChange(record('REMOVE', { OldImage: image(jo) }))).toEqual({ kind: 'ignored', reason: 'REMOVE' });
  });

  it('ignores an INSERT whose image lacks ledger fields', () => {
    expect(classifyChange(record('INSERT', { NewImage: { assessmentId: { S: 'x' } } }))).toEqual({ kind: 'ignored', reason: 'IMAGE_INCOMPLETE' });
  });
});

describe(decodeChangeRecord.name, () => {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');

  it('decodes the AWS shape', () => {
    const r = record('INSERT', { NewImage: image(jo) });
    expect(decodeChangeRecord(b64(r))).toEqual(r);
  });

  it.each([['{not json'], [{ eventName: 'UPSERT', dynamodb: { Keys: {} } }], [{ eventName: 'INSERT' }], ['null']])('refuses %p with a reason', (data) => {
    expect(() => decodeChangeRecord(b64(data))).toThrow(expect.objectContaining({ code: 'STREAM.RECORD_UNDECODABLE' }));
  });
});

describe(creationTimeMs.name, () => {
  it('accepts milliseconds, microseconds and seconds', () => {
    expect(creationTimeMs(1764760000123)).toBe(1764760000123);
    expect(creationTimeMs(1764760000123456)).toBe(1764760000123);
    expect(creationTimeMs(1764760000)).toBe(1764760000000);
  });
});
