import { checkpointCovers, decideCheckpoint, SHARD_END } from './checkpoint-rules';

describe('decideCheckpoint', () => {
  const situation = { action: 'processRecords' as const, lastDelivered: '200', current: '100' };

  it('takes a checkpoint without a sequence number as the last record delivered', () => {
    expect(decideCheckpoint({ sequenceNumber: null }, situation)).toEqual({ record: '200' });
    expect(decideCheckpoint({}, { ...situation, action: 'shutdownRequested' })).toEqual({ record: '200' });
  });

  it('takes it as SHARD_END during shardEnded', () => {
    expect(decideCheckpoint({}, { ...situation, action: 'shardEnded' })).toEqual({ record: SHARD_END });
  });

  it('accepts a sequence number between the current checkpoint and the last record delivered', () => {
    expect(decideCheckpoint({ sequenceNumber: '150' }, situation)).toEqual({ record: '150' });
    expect(decideCheckpoint({ sequenceNumber: '100' }, situation)).toEqual({ record: '100' });
  });

  it('answers IllegalArgumentException outside that range or for a malformed number', () => {
    for (const sequenceNumber of ['99', '201', 'abc']) {
      expect(decideCheckpoint({ sequenceNumber }, situation)).toEqual({ error: 'IllegalArgumentException' });
    }
  });

  it('records nothing when nothing was delivered yet', () => {
    expect(decideCheckpoint({}, { action: 'shutdownRequested' })).toEqual({ nothingToRecord: true });
  });
});

describe('checkpointCovers', () => {
  it('compares sequence numbers as integers, longer than 2^53', () => {
    expect(checkpointCovers('49680804068086152374080206683907143735872580275404800018', '49680804068086152374080206683905934810052965646230093842')).toBe(true);
    expect(checkpointCovers('9', '10')).toBe(false);
    expect(checkpointCovers(SHARD_END, '10')).toBe(true);
    expect(checkpointCovers(undefined, '10')).toBe(false);
    expect(checkpointCovers(undefined, undefined)).toBe(true);
  });
});
