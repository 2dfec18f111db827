import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LedgerModule } from '../ledger/ledger.module';
import { PollTickService } from './poll-tick.service';

/** The scheduler role: a tick that enqueues each due account's next window. */
@Module({ imports: [ScheduleModule.forRoot(), LedgerModule], providers: [PollTickService] })
export class SchedulerModule {}
