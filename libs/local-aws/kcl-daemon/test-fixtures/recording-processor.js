'use strict';
/**
 * A record processor for the KCL daemon emulator's tests, built on the real aws-kcl package. It logs every call
 * as one JSON line on stderr (stdout belongs to the protocol) and checkpoints after each batch.
 *
 * Faults, each applied once per FAULT_ONCE_DIR (a marker file there records that it happened, across restarts):
 * - a batch with a record whose data contains "hold" is not checkpointed;
 * - a batch with a record whose data contains "junk" makes the processor print a non-protocol line on stdout;
 * - SKIP_SHARD_END_CHECKPOINT=1 answers shardEnded without checkpointing (always).
 */
const fs = require('node:fs');
const path = require('node:path');
const kcl = require('aws-kcl');

let shardId;
const log = (event, details = {}) => process.stderr.write(`${JSON.stringify({ pid: process.pid, shardId, event, ...details })}\n`);

function claimOnce(fault) {
  const dir = process.env.FAULT_ONCE_DIR;
  if (!dir) return true;
  try {
    fs.closeSync(fs.openSync(path.join(dir, `${fault}-${shardId}`), 'wx'));
    return true;
  } catch {
    return false;
  }
}

function checkpointThen(checkpointer, sequenceNumber, done) {
  const report = (error, checkpointed) => {
    log(error ? 'checkpoint-error' : 'checkpointed', { error, sequenceNumber: checkpointed });
    done();
  };
  if (sequenceNumber) checkpointer.checkpoint(sequenceNumber, report);
  else checkpointer.checkpoint(report);
}

kcl({
  initialize(input, done) {
    shardId = input.shardId;
    log('initialize', { sequenceNumber: input.sequenceNumber });
    done();
  },
  processRecords(input, done) {
    const records = input.records.map((record) => ({ ...record, data: Buffer.from(record.data, 'base64').toString('utf8') }));
    for (const record of records) log('record', { sequenceNumber: record.sequenceNumber, partitionKey: record.partitionKey, data: record.data });
    if (records.some((record) => record.data.includes('junk')) && claimOnce('junk')) process.stdout.write('this is not a protocol line\n');
    if (records.some((record) => record.data.includes('hold')) && claimOnce('hold')) {
      log('held');
      return done();
    }
    checkpointThen(input.checkpointer, records[records.length - 1].sequenceNumber, done);
  },
  leaseLost(input, done) {
    log('leaseLost');
    done();
  },
  shardEnded(input, done) {
    log('shardEnded');
    if (process.env.SKIP_SHARD_END_CHECKPOINT === '1') return done();
    checkpointThen(input.checkpointer, undefined, done);
  },
  shutdownRequested(input, done) {
    log('shutdownRequested');
    checkpointThen(input.checkpointer, undefined, done);
  },
}).run();
