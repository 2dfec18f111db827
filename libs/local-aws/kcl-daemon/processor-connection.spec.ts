import { ProcessorConnection, ProcessorFailure, type ProcessorHooks } from './processor-connection';

/** A processor written inline: it answers each line on stdin with the lines `answer(message)` returns. */
function scriptedProcessor(answer: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const script = `require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
    const message = JSON.parse(line);
    for (const out of (${answer})(message)) process.stdout.write(out + '\\n');
  });`;
  return { command: process.execPath, args: ['-e', script], env: process.env };
}

function recordingHooks() {
  const violations: string[] = [];
  const stderr: string[] = [];
  const hooks: ProcessorHooks = { stderr: (line) => stderr.push(line), violation: (detail) => violations.push(detail), exit: () => undefined };
  return { hooks, violations, stderr };
}

describe('ProcessorConnection', () => {
  const connections: ProcessorConnection[] = [];
  afterEach(async () => Promise.all(connections.splice(0).map((connection) => connection.close())));

  function connect(answer: string) {
    const { hooks, violations, stderr } = recordingHooks();
    const connection = new ProcessorConnection(scriptedProcessor(answer), hooks);
    connections.push(connection);
    return { connection, violations, stderr };
  }

  describe('request', () => {
    it('resolves on the matching status and ignores the blank lines aws-kcl frames messages with', async () => {
      const { connection, violations } = connect(`(m) => ['', JSON.stringify({ action: 'status', responseFor: m.action }), '']`);
      await expect(connection.request({ action: 'initialize', shardId: 's' })).resolves.toBeUndefined();
      expect(violations).toEqual([]);
    });

    it('answers checkpoint requests in between, echoing the sequence number asked for', async () => {
      const { connection, stderr } = connect(`(m) => m.action === 'checkpoint'
        ? [process.stderr.write(JSON.stringify(m) + '\\n') && JSON.stringify({ action: 'status', responseFor: 'processRecords' })]
        : [JSON.stringify({ action: 'checkpoint', sequenceNumber: null })]`);
      const asked: unknown[] = [];
      const done = connection.request({ action: 'processRecords', records: [] }, (request) => {
        asked.push(request);
        return { error: 'ThrottlingException' };
      });
      await expect(done).resolves.toBeUndefined();
      expect(asked).toEqual([{ action: 'checkpoint', sequenceNumber: null }]);
      await connection.close(); // all of stderr has been read once the process is gone
      expect(stderr.map((line) => JSON.parse(line))).toEqual([
        { action: 'checkpoint', sequenceNumber: null, subSequenceNumber: null, error: 'ThrottlingException' },
      ]);
    });

    it('fails and reports a violation when status.responseFor names another action', async () => {
      const { connection, violations } = connect(`() => [JSON.stringify({ action: 'status', responseFor: 'processRecords' })]`);
      await expect(connection.request({ action: 'initialize' })).rejects.toBeInstanceOf(ProcessorFailure);
      expect(violations).toEqual(['status.responseFor is "processRecords" while "initialize" was in progress']);
      await connection.exited;
    });

    it('fails when the processor exits before answering', async () => {
      const { connection, violations } = connect(`() => process.exit(4)`);
      await expect(connection.request({ action: 'initialize' })).rejects.toThrow('the processor exited (code 4, signal null)');
      expect(violations).toEqual([]);
    });
  });
});
