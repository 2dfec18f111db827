import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type { Candidate } from '../candidates/candidate';
import { idempotencyKey } from '../creation/idempotency-key';
import { CREATE_QUEUE, JOB_OPTIONS, POLL_QUEUE, type CreateJobData, type PollJobData } from './queues';
import { pollJobId, type PollWindow } from '../polling/poll-window';

/** Every job enters the queues here, so a job name can never meet the wrong payload or options. */
@Injectable()
export class JobEnqueuer {
  constructor(
    @InjectQueue(POLL_QUEUE) private readonly pollQueue: Queue<PollJobData>,
    @InjectQueue(CREATE_QUEUE) private readonly createQueue: Queue<CreateJobData>,
  ) {}

  /**
   * One poll job per (account, window). Deduplicated per account while a job is waiting or running, so an
   * account's windows run one at a time however many schedulers tick.
   */
  async enqueuePoll(data: PollJobData): Promise<void> {
    const jobId = pollJobId(data.accountId, { fromMs: data.fromMs, toMs: data.toMs });
    await this.replaceFinished(jobId);
    await this.pollQueue.add('poll-window', data, { ...JOB_OPTIONS[POLL_QUEUE], jobId, deduplication: { id: `account|${data.accountId}` } });
  }

  /**
   * The scheduler plans only windows its coverage still needs; a finished job under the same id (a catch-up
   * slice whose job failed has the same bounds when replanned) would make BullMQ ignore the add for as long
   * as it keeps the old job, and the account would stop. Found by the coverage property test.
   */
  private async replaceFinished(jobId: string): Promise<void> {
    const existing = await this.pollQueue.getJob(jobId);
    if (existing && ((await existing.isFailed()) || (await existing.isCompleted()))) await existing.remove({ removeChildren: true });
  }

  /** A piece of a split window, as a child the parent waits for; the child's failure fails the parent. */
  async enqueuePollPiece(parent: Job<PollJobData>, piece: PollWindow): Promise<void> {
    const data: PollJobData = { accountId: parent.data.accountId, ...piece };
    const jobId = `${pollJobId(data.accountId, piece)}|piece`;
    await this.replaceFinished(jobId);
    await this.pollQueue.add('poll-window', data, {
      ...JOB_OPTIONS[POLL_QUEUE],
      jobId,
      parent: { id: parent.id!, queue: parent.queueQualifiedName },
      failParentOnFailure: true,
    });
  }

  /** Resolves once the job is in Redis; enqueueing the same candidate again is a no-op while the job is kept. */
  async enqueueCreation(candidate: Candidate): Promise<string> {
    const key = idempotencyKey(candidate);
    await this.createQueue.add('create-candidate', { idempotencyKey: key, candidate }, { ...JOB_OPTIONS[CREATE_QUEUE], jobId: key });
    return key;
  }
}
