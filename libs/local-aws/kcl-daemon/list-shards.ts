import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** A shard as the daemon needs it. */
export interface ShardInfo {
  shardId: string;
  parentShardIds: string[];
  /** Closed by a split or merge: it takes no new records. */
  closed: boolean;
}

/** Every shard of the stream, following ListShards pages. */
export async function listShards(kinesis: KinesisClient, streamName: string): Promise<ShardInfo[]> {
  const shards: ShardInfo[] = [];
  let nextToken: string | undefined;
  do {
    // ListShards refuses StreamName together with NextToken.
    const page = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    for (const shard of page.Shards ?? []) {
      shards.push({
        shardId: shard.ShardId as string,
        parentShardIds: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => !!id),
        closed: !!shard.SequenceNumberRange?.EndingSequenceNumber,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}
