import type { CheckpointRequest } from './processor-connection';

/** The checkpoint value of a shard whose every record was processed (KCL's ExtendedSequenceNumber.SHARD_END). */
export const SHARD_END = 'SHARD_END';

/** The exceptions a checkpoint answer may carry, by their simple Java names. */
export type CheckpointErrorName =
  | 'ThrottlingException'
  | 'ShutdownException'
  | 'InvalidStateException'
  | 'KinesisClientLibDependencyException'
  | 'IllegalArgumentException';

/** Where a processor may checkpoint: the action in progress and what the shard has seen so far. */
export interface CheckpointSituation {
  action: 'processRecords' | 'shardEnded' | 'shutdownRequested';
  /** The sequence number of the last record delivered to any processor of this shard, if any. */
  lastDelivered?: string;
  /** The shard's current checkpoint, if any. */
  current?: string;
}

export type CheckpointDecision = { record: string } | { error: CheckpointErrorName } | { nothingToRecord: true };

/**
 * What the KCL does with a checkpoint request: without a sequence number it means the last record delivered
 * (SHARD_END during shardEnded); with one it must lie between the current checkpoint and the last record delivered.
 */
export function decideCheckpoint(request: CheckpointRequest, situation: CheckpointSituation): CheckpointDecision {
  const requested = request.sequenceNumber ?? undefined;
  if (requested === undefined) {
    if (situation.action === 'shardEnded') return { record: SHARD_END };
    return situation.lastDelivered ? { record: situation.lastDelivered } : { nothingToRecord: true };
  }
  if (!/^\d+$/.test(requested) || !situation.lastDelivered) return { error: 'IllegalArgumentException' };
  const tooOld = situation.current && situation.current !== SHARD_END && BigInt(requested) < BigInt(situation.current);
  if (tooOld || BigInt(requested) > BigInt(situation.lastDelivered)) return { error: 'IllegalArgumentException' };
  return { record: requested };
}

/** Whether a checkpoint covers a sequence number (sequence numbers compare as integers within one shard). */
export function checkpointCovers(checkpoint: string | undefined, sequenceNumber: string | undefined): boolean {
  if (sequenceNumber === undefined || checkpoint === SHARD_END) return true;
  if (checkpoint === undefined || !/^\d+$/.test(checkpoint)) return false;
  return BigInt(checkpoint) >= BigInt(sequenceNumber);
}
