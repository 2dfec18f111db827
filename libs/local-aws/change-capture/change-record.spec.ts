import { buildChangeRecord, canonicalJson, imagesEqual, keysOf, partitionKeyOf } from './change-record';

const context = { region: 'eu-west-1', precision: 'MILLISECOND' as const, now: 1_764_760_000_123 };
const keys = { assessmentId: { S: 'asm-1' }, email: { S: 'jo@example.com' } };

describe('buildChangeRecord', () => {
  it('names the event after which images exist', () => {
    const image = { ...keys, name: { S: 'Jo' } };
    expect(buildChangeRecord({ tableName: 't', keys, newImage: image }, context)?.eventName).toBe('INSERT');
    expect(buildChangeRecord({ tableName: 't', keys, oldImage: image, newImage: { ...image, name: { S: 'Joe' } } }, context)?.eventName).toBe('MODIFY');
    expect(buildChangeRecord({ tableName: 't', keys, oldImage: image }, context)?.eventName).toBe('REMOVE');
  });

  it('returns nothing when the images are equal or both absent', () => {
    const image = { ...keys, tags: { SS: ['a', 'b'] } };
    expect(buildChangeRecord({ tableName: 't', keys, oldImage: image, newImage: { ...keys, tags: { SS: ['b', 'a'] } } }, context)).toBeUndefined();
    expect(buildChangeRecord({ tableName: 't', keys }, context)).toBeUndefined();
  });

  it('writes microseconds and says so when the destination asks for MICROSECOND precision', () => {
    const record = buildChangeRecord({ tableName: 't', keys, newImage: keys }, { ...context, precision: 'MICROSECOND' });
    expect(record?.dynamodb.ApproximateCreationDateTime).toBe(context.now * 1000);
    expect(record?.dynamodb.ApproximateCreationDateTimePrecision).toBe('MICROSECOND');
  });
});

describe('partitionKeyOf', () => {
  it('is 32 hex characters, the same for the same key whatever the attribute order', () => {
    const key = partitionKeyOf(keys);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(partitionKeyOf({ email: keys.email, assessmentId: keys.assessmentId })).toBe(key);
    expect(partitionKeyOf({ ...keys, email: { S: 'other@example.com' } })).not.toBe(key);
  });
});

describe('keysOf', () => {
  it('picks the key attributes and refuses an item without one', () => {
    expect(keysOf({ ...keys, name: { S: 'Jo' } }, ['assessmentId', 'email'])).toEqual(keys);
    expect(() => keysOf({ email: keys.email }, ['assessmentId', 'email'])).toThrow(/assessmentId/);
  });
});

describe('imagesEqual', () => {
  it('ignores attribute and set-member order but not list order', () => {
    expect(imagesEqual({ a: { N: '1' }, b: { NS: ['1', '2'] } }, { b: { NS: ['2', '1'] }, a: { N: '1' } })).toBe(true);
    expect(imagesEqual({ l: { L: [{ S: 'x' }, { S: 'y' }] } }, { l: { L: [{ S: 'y' }, { S: 'x' }] } })).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts nested map keys', () => {
    expect(canonicalJson({ m: { M: { b: { S: '2' }, a: { S: '1' } } } })).toBe('{"m":{"M":{"a":{"S":"1"},"b":{"S":"2"}}}}');
  });
});
