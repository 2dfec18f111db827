import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { hashEmail } from '../observability/email-hash';
import { RunStats } from '../observability/run-stats.service';
import { DuplicateCandidateDetected } from '../stream/duplicate-candidate-detected.event';
import { AlertService } from './alert.service';

@Injectable()
export class AlertWhenDuplicateDetected {
  constructor(
    private readonly alerts: AlertService,
    private readonly stats: RunStats,
  ) {}

  @OnEvent(DuplicateCandidateDetected.eventName, { suppressErrors: false })
  async handle({ previous, current }: DuplicateCandidateDetected): Promise<void> {
    this.alerts.raise(
      'DUPLICATE_CANDIDATE',
      `Candidate reported again for assessment "${current.assessmentId}" under another campaign or candidate id; not created twice`,
      {
        accountId: current.accountId,
        assessmentId: current.assessmentId,
        emailHash: hashEmail(current.email),
        previous: { externalCampaignId: previous.externalCampaignId, externalCandidateId: previous.externalCandidateId, accountId: previous.accountId },
        current: { externalCampaignId: current.externalCampaignId, externalCandidateId: current.externalCandidateId, accountId: current.accountId },
      },
    );
    await this.stats.increment('duplicates_detected');
  }
}
