import { startChangeCaptureProxy, type ChangeCaptureOptions, type ChangeCaptureProxy } from './change-capture/change-capture-proxy';
import { startDynalite } from './dynamodb/start-dynalite';
import { startKinesisLocal, type KinesisLocalOptions } from './kinesis/start-kinesis-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws-clients';

export { KclDaemon, SHARD_END, startKclDaemon } from './kcl-daemon/kcl-daemon';
export type { CheckpointErrorName, KclDaemonEvents, KclDaemonOptions } from './kcl-daemon/kcl-daemon';
export type { ChangeCaptureFaults } from './change-capture/faults';
export type { ChangeRecord } from './change-capture/change-record';
export type { ChangeCaptureOptions } from './change-capture/change-capture-proxy';
export type { KinesisLocalOptions } from './kinesis/start-kinesis-local';
export { createActiveStream, readAllRecords, waitForActiveStream, type ReadRecord } from './kinesis/stream-helpers';
export { createLocalDynamoDbClient, createLocalKinesisClient, LOCAL_CREDENTIALS, LOCAL_REGION } from './local-aws-clients';
export { freePort } from './free-port';

/** Options of {@link startLocalAws}. */
export interface LocalAwsOptions {
  /** Region written into change records and the faults active from the start. */
  changeCapture?: ChangeCaptureOptions;
  /** Start-up deadline and extra environment of kinesis-local. */
  kinesis?: KinesisLocalOptions;
}

/** DynamoDB, Kinesis and the table → stream change capture, all on 127.0.0.1. */
export interface LocalAws {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The change-capture proxy: the application's DynamoDB endpoint. */
  dynamodbEndpoint: string;
  /** dynalite itself; writes sent here bypass the change capture. */
  dynaliteEndpoint: string;
  kinesisEndpoint: string;
  changeCapture: Pick<ChangeCaptureProxy, 'setFaults' | 'expireTtlItems'>;
  /** Closes the proxy, dynalite and kinesis-local. Idempotent; never throws. */
  stop(): Promise<void>;
}

/** Starts dynalite (in process), kinesis-local (child process) and the change-capture proxy on free ports. */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const [dynalite, kinesis] = await Promise.allSettled([startDynalite(), startKinesisLocal(options.kinesis)]);
  if (dynalite.status === 'rejected' || kinesis.status === 'rejected') {
    await closeAll([settledValue(dynalite), settledValue(kinesis)]);
    throw dynalite.status === 'rejected' ? dynalite.reason : (kinesis as PromiseRejectedResult).reason;
  }
  let proxy: ChangeCaptureProxy;
  try {
    proxy = await startChangeCaptureProxy(dynalite.value.endpoint, kinesis.value.endpoint, options.changeCapture);
  } catch (error) {
    await closeAll([dynalite.value, kinesis.value]);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
    dynamodbEndpoint: proxy.endpoint,
    dynaliteEndpoint: dynalite.value.endpoint,
    kinesisEndpoint: kinesis.value.endpoint,
    changeCapture: { setFaults: proxy.setFaults, expireTtlItems: proxy.expireTtlItems },
    stop: () => (stopping ??= closeAll([proxy, dynalite.value, kinesis.value])),
  };
}

function settledValue<T>(result: PromiseSettledResult<T>): T | undefined {
  return result.status === 'fulfilled' ? result.value : undefined;
}

/** Closes in order, each on its own, so one failure never leaves a later process running. */
async function closeAll(closables: Array<{ close(): Promise<void> } | undefined>): Promise<void> {
  for (const closable of closables) {
    try {
      await closable?.close();
    } catch (error) {
      process.emitWarning(`local-aws: closing failed: ${(error as Error).message}`);
    }
  }
}
