import { Global, Module } from '@nestjs/common';
import { ErrorReporter } from './error-reporter.service';

/** Reporting permanent per-candidate failures back to the ATS side; the sending worker runs in the creation-worker role. */
@Global()
@Module({ providers: [ErrorReporter], exports: [ErrorReporter] })
export class ErrorReportsModule {}
