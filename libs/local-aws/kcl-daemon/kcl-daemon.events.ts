/** Events of a {@link KclDaemon}, each with one payload object. */
export interface KclDaemonEvents {
  /** One line the processor of a shard wrote to stderr (its log). */
  stderr: [{ shardId: string; line: string }];
  /** A checkpoint was recorded (`SHARD_END` when the processor finished a closed shard). */
  checkpoint: [{ shardId: string; sequenceNumber: string }];
  /** The processor answered a processRecords action. */
  processRecordsDone: [{ shardId: string; count: number; lastSequenceNumber: string }];
  /** The processor broke the MultiLang protocol; unless noted otherwise it is killed and restarted. */
  protocolViolation: [{ shardId: string; detail: string }];
  /** A processor process was started for a shard (first start or restart). */
  processorStart: [{ shardId: string; pid: number }];
  /** A processor process ended, expectedly or not. */
  processorExit: [{ shardId: string; code: number | null; signal: NodeJS.Signals | null }];
  /** Reading the shard from Kinesis failed (retried after a pause), or the shard's worker crashed (a bug). */
  workerError: [{ shardId: string; error: Error }];
}

/** What a shard worker reports to its daemon. */
export type ReportEvent = <K extends keyof KclDaemonEvents>(event: K, payload: KclDaemonEvents[K][0]) => void;
