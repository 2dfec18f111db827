/**
 * Preloaded into the poll worker with `--require` when the benchmark runs with `--profile`. It watches the file
 * BENCH_CPU_PROFILE_CONTROL: when it reads `start`, V8's CPU profiler starts; on `stop` the profile goes to
 * BENCH_CPU_PROFILE_FILE. Each step logs one JSON line on stderr, with process.memoryUsage(), so the benchmark
 * can wait for it. A control file rather than a signal: `enableShutdownHooks()` makes Nest shut down on SIGUSR2
 * (and most other signals), and `--cpu-prof` writes only on a normal exit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const control = process.env.BENCH_CPU_PROFILE_CONTROL;
const file = process.env.BENCH_CPU_PROFILE_FILE;
if (control && file) {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  const log = (fields: Record<string, unknown>) => process.stderr.write(`${JSON.stringify({ level: 'info', ...fields, memory: process.memoryUsage() })}\n`);
  let state = 'idle';
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    let wanted: string;
    try {
      wanted = readFileSync(control, 'utf8').trim();
    } catch {
      return;
    }
    if (wanted === state || (wanted !== 'start' && wanted !== 'stop')) return;
    busy = true;
    const step = wanted === 'start'
      ? post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 500 })).then(() => post('Profiler.start')).then(() => log({ msg: 'bench cpu profile started' }))
      : post('Profiler.stop').then(({ profile }) => {
          writeFileSync(file, JSON.stringify(profile));
          log({ msg: 'bench cpu profile written', file });
        });
    state = wanted;
    step
      .catch((error: Error) => process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'bench cpu profile failed', error: error.message })}\n`))
      .finally(() => (busy = false));
  }, 20);
  timer.unref();
}
