import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { DynamoDbError, type DynaliteJsonClient } from '../dynamodb/dynamodb-json';

/** A table's Kinesis streaming destination, as DescribeKinesisStreamingDestination lists it. */
export interface StreamingDestination {
  streamArn: string;
  streamName: string;
  status: 'ACTIVE' | 'DISABLED';
  precision: 'MILLISECOND' | 'MICROSECOND';
}

type Input = Record<string, any>;

const STREAM_ARN = /^arn:aws[\w-]*:kinesis:[\w-]+:\d{12}:stream\/([\w.-]{1,128})$/;

/**
 * Per-table settings that dynalite does not implement: Kinesis streaming destinations and TTL. Held in memory and
 * answered in AWS's request and response shapes. State changes are instant: a destination is ACTIVE as soon as
 * EnableKinesisStreamingDestination returns (whose own answer says ENABLING, as on AWS).
 */
export class TableSettings {
  private readonly destinations = new Map<string, StreamingDestination[]>();
  private readonly ttlAttributes = new Map<string, string>();

  constructor(
    private readonly dynalite: DynaliteJsonClient,
    private readonly kinesis: KinesisClient,
  ) {}

  static readonly ACTIONS: ReadonlySet<string> = new Set([
    'EnableKinesisStreamingDestination', 'DescribeKinesisStreamingDestination', 'DisableKinesisStreamingDestination',
    'UpdateTimeToLive', 'DescribeTimeToLive',
  ]);

  activeDestination(tableName: string): StreamingDestination | undefined {
    return this.destinations.get(tableName)?.find((destination) => destination.status === 'ACTIVE');
  }

  ttlAttribute(tableName: string): string | undefined {
    return this.ttlAttributes.get(tableName);
  }

  /** Drops a deleted table's settings, so a table created again under the same name starts without them. */
  forget(tableName: string): void {
    this.destinations.delete(tableName);
    this.ttlAttributes.delete(tableName);
  }

  /** Answers one of {@link TableSettings.ACTIONS}; throws {@link DynamoDbError} as DynamoDB would. */
  async handle(action: string, input: Input): Promise<unknown> {
    const tableName = required(input, 'TableName');
    await this.dynalite.call('DescribeTable', { TableName: tableName });
    switch (action) {
      case 'EnableKinesisStreamingDestination': return this.enable(tableName, input);
      case 'DisableKinesisStreamingDestination': return this.disable(tableName, input);
      case 'DescribeKinesisStreamingDestination': return this.describe(tableName);
      case 'UpdateTimeToLive': return this.updateTimeToLive(tableName, input);
      default: return this.describeTimeToLive(tableName);
    }
  }

  private async enable(tableName: string, input: Input) {
    const streamArn = required(input, 'StreamArn');
    const precision = input.EnableKinesisStreamingConfiguration?.ApproximateCreationDateTimePrecision ?? 'MILLISECOND';
    if (precision !== 'MILLISECOND' && precision !== 'MICROSECOND') {
      throw validation(`ApproximateCreationDateTimePrecision must be MILLISECOND or MICROSECOND, got ${precision}`);
    }
    const streamName = await this.existingStreamName(streamArn);
    const active = this.activeDestination(tableName);
    if (active) {
      throw validation(`Table ${tableName} already streams to ${active.streamArn}; disable that destination first.`);
    }
    const list = (this.destinations.get(tableName) ?? []).filter((destination) => destination.streamArn !== streamArn);
    this.destinations.set(tableName, [...list, { streamArn, streamName, status: 'ACTIVE', precision }]);
    return destinationAnswer(tableName, streamArn, 'ENABLING', precision);
  }

  private disable(tableName: string, input: Input) {
    const streamArn = required(input, 'StreamArn');
    const active = this.activeDestination(tableName);
    if (active?.streamArn !== streamArn) {
      throw validation(`Table ${tableName} has no active Kinesis streaming destination ${streamArn}.`);
    }
    active.status = 'DISABLED';
    return destinationAnswer(tableName, streamArn, 'DISABLING', active.precision);
  }

  private describe(tableName: string) {
    return {
      TableName: tableName,
      KinesisDataStreamDestinations: (this.destinations.get(tableName) ?? []).map((destination) => ({
        StreamArn: destination.streamArn,
        DestinationStatus: destination.status,
        ApproximateCreationDateTimePrecision: destination.precision,
      })),
    };
  }

  private updateTimeToLive(tableName: string, input: Input) {
    const specification = input.TimeToLiveSpecification;
    const attributeName = required(specification ?? {}, 'AttributeName');
    if (typeof specification.Enabled !== 'boolean') throw validation('TimeToLiveSpecification.Enabled must be true or false');
    const current = this.ttlAttributes.get(tableName);
    if (specification.Enabled && current) throw validation('TimeToLive is already enabled');
    if (!specification.Enabled && !current) throw validation('TimeToLive is already disabled');
    if (specification.Enabled) this.ttlAttributes.set(tableName, attributeName);
    else this.ttlAttributes.delete(tableName);
    return { TimeToLiveSpecification: { Enabled: specification.Enabled, AttributeName: attributeName } };
  }

  private describeTimeToLive(tableName: string) {
    const attributeName = this.ttlAttributes.get(tableName);
    return {
      TimeToLiveDescription: attributeName ? { TimeToLiveStatus: 'ENABLED', AttributeName: attributeName } : { TimeToLiveStatus: 'DISABLED' },
    };
  }

  private async existingStreamName(streamArn: string): Promise<string> {
    const streamName = STREAM_ARN.exec(streamArn)?.[1];
    if (!streamName) throw validation(`Invalid StreamArn: ${streamArn} (expected arn:aws:kinesis:<region>:<account>:stream/<name>)`);
    try {
      await this.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      throw new DynamoDbError(400, 'ResourceNotFoundException', `Requested resource not found: Kinesis stream ${streamArn} does not exist`);
    }
    return streamName;
  }
}

function destinationAnswer(tableName: string, streamArn: string, status: string, precision: string) {
  return {
    TableName: tableName,
    StreamArn: streamArn,
    DestinationStatus: status,
    EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: precision },
  };
}

function required(input: Input, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw validation(`1 validation error detected: Value null at '${member[0].toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function validation(message: string): DynamoDbError {
  return new DynamoDbError(400, 'ValidationException', message);
}
