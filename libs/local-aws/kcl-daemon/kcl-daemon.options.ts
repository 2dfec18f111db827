/** Options of `startKclDaemon`: the MultiLangDaemon properties that matter locally. */
export interface KclDaemonOptions {
  /** Kinesis endpoint, e.g. `localAws.kinesisEndpoint`. */
  kinesisEndpoint: string;
  streamName: string;
  /** The record processor executable (MultiLang `executableName`), started once per shard. */
  command: string;
  args?: string[];
  /** Environment of the processors, on top of this process's environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Where a shard without a checkpoint starts. Default `TRIM_HORIZON`. */
  initialPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause after a GetRecords call that returned nothing. Default 200 ms (the Java daemon's default: 1 500 ms). */
  idleTimeBetweenReadsMs?: number;
  /** GetRecords `Limit`. Default 1 000. */
  maxRecords?: number;
  /** How often ListShards looks for shards made by resharding. Default 1 000 ms. */
  shardSyncIntervalMs?: number;
  /** How long stop() waits for each processor's answer to shutdownRequested before killing it. Default 5 000 ms. */
  shutdownTimeoutMs?: number;
  /** How long startKclDaemon waits for every shard to be initialized and reading. Default 30 000 ms. */
  startTimeoutMs?: number;
}
