import { Module } from '@nestjs/common';
import { SendErrorReportJob } from '../error-reports/send-error-report.job';
import { CreateCandidateJob } from './create-candidate.job';
import { DeliveryStore } from './delivery.store';
import { CREATION_API } from './creation-api.port';
import { HttpCreationApiClient } from './http-creation-api.client';

/** The creation worker role: deliver each discovered candidate to the platform's creation API, and error reports to the ATS side. */
@Module({ providers: [{ provide: CREATION_API, useClass: HttpCreationApiClient }, DeliveryStore, CreateCandidateJob, SendErrorReportJob] })
export class CreationModule {}
