import { Module } from '@nestjs/common';
import { ATS_CONNECTOR } from '../connectors/ats-connector.port';
import { HttpWindowConnector } from '../connectors/http/http-window.connector';
import { LedgerModule } from '../ledger/ledger.module';
import { PollWindowJob } from './poll-window.job';
import { PollWindowService } from './poll-window.service';
import { QuarantineStore } from './quarantine.store';
import { RejectedRecordReporter } from './rejected-record.reporter';

const connectors = [{ provide: ATS_CONNECTOR, useClass: HttpWindowConnector }];
const services = [PollWindowService, RejectedRecordReporter, QuarantineStore];
const workers = [PollWindowJob];

/** The poll worker role: read a window from the ATS, write the ledger, advance coverage. */
@Module({ imports: [LedgerModule], providers: [...connectors, ...services, ...workers] })
export class PollingModule {}
