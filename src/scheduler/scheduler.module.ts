import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { LedgerModule } from '../ledger/ledger.module';
import { DeliverySweepService } from '../creation/delivery-sweep.service';
import { DeliveryStore } from '../creation/delivery.store';
import { PollTickService } from './poll-tick.service';

/** The scheduler role: a tick that enqueues each due account's next window, and the delivery reconciliation sweep. */
@Module({ imports: [ScheduleModule.forRoot(), LedgerModule], providers: [PollTickService, DeliveryStore, DeliverySweepService] })
export class SchedulerModule {}
