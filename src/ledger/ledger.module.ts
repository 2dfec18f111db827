import { Module } from '@nestjs/common';
import { CoverageStore } from './coverage.store';
import { LedgerWriter } from './ledger-writer.service';

@Module({ providers: [LedgerWriter, CoverageStore], exports: [LedgerWriter, CoverageStore] })
export class LedgerModule {}
