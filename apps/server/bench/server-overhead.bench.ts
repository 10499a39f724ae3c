// Server overhead: the full app against a raw node:http handler doing the same JSON work, same request
// (20 documents of about 200 characters, top_n 5), 50 connections. Both servers are built to plain
// JavaScript with the deployable app's build settings and run under `node` as production does (not tsx).
// Each runs in its own child process pinned to core 0; wrk runs pinned to core 1. Six paired rounds of 3 s
// each after a warm-up, in alternating order (A/B, then B/A); the ratios of the totals and the medians of
// the paired rounds are printed, with the load average. Then six concurrent rounds: both servers loaded at
// once (one wrk each, both on core 1), so that a neighbour slowing core 0 down slows both sides alike; their
// CPU time per request (the inverse of requests per second per core) is compared. Goal: the app reaches at
// least 0.8 of raw node:http.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { BENCH_API_KEY, BENCH_REQUEST_BODY } from './bench-request.js';
import { buildBenchServers } from './build-bench-servers.js';

const run = promisify(execFile);

/** Settings of {@link runServerOverheadBenchmark}. */
export interface ServerOverheadOptions {
  /** Seconds per measured run; 3 by default. */
  seconds?: number;
  /** A/B rounds; 6 by default (many short paired runs: neighbours on a shared machine come and go). */
  rounds?: number;
  /** Open connections; 50 by default. */
  connections?: number;
}

/** One measured run of one side. */
export interface LoadRun {
  /** Requests per second, as wrk measured them. */
  requestsPerSecond: number;
  /** CPU time the server process spent per request, in microseconds (user + system, from /proc). */
  cpuMicrosecondsPerRequest: number;
}

/** The outcome: each side's runs, and the ratios of the totals. */
export interface ServerOverheadResult {
  /** The full app's runs, one per round. */
  app: LoadRun[];
  /** Raw node:http's runs, one per round. */
  raw: LoadRun[];
  /** Total app requests per second over total raw requests per second (the goal is judged on {@link medianRatio}). */
  ratio: number;
  /**
   * Raw node:http's CPU time per request over the app's: the same comparison measured in CPU time, which
   * neighbours on a shared machine disturb less than wall-clock throughput.
   */
  cpuRatio: number;
  /** The median over rounds of app over raw requests per second within a round (paired runs back to back). */
  medianRatio: number;
  /** The median over rounds of raw over app CPU time per request within a round. */
  medianCpuRatio: number;
  /**
   * The concurrent rounds: both servers under load at the same time on the same core, so machine noise
   * hits both alike. `medianCpuRatio` is the median over rounds of raw over app CPU time per request, that
   * is the app's requests per second per core over raw node:http's.
   */
  concurrent: { app: LoadRun[]; raw: LoadRun[]; medianCpuRatio: number };
}

interface StartedServer {
  child: ChildProcess;
  url: string;
}

async function startPinned(script: string): Promise<StartedServer> {
  // SEALINK_BENCH_CPU_PROF_DIR=<folder> writes a V8 CPU profile of each server there when it exits.
  const profileDirectory = process.env.SEALINK_BENCH_CPU_PROF_DIR;
  const profile = profileDirectory === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDirectory];
  const child = spawn('taskset', ['-c', '0', process.execPath, ...profile, script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => {
    output += data.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!output.includes('\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url: output.trim() };
}

async function stop(server: StartedServer): Promise<void> {
  if (server.child.exitCode !== null) return;
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 3000);
  await once(server.child, 'exit');
  clearTimeout(timer);
}

/** The CPU time a process has used so far, in microseconds (utime + stime from /proc/<pid>/stat). */
function cpuMicroseconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
}

async function measure(
  server: StartedServer,
  script: string,
  seconds: number,
  connections: number,
): Promise<LoadRun> {
  const pid = server.child.pid!;
  const cpuBefore = cpuMicroseconds(pid);
  const { requestsPerSecond, requests } = await wrk(server.url, script, seconds, connections);
  return { requestsPerSecond, cpuMicrosecondsPerRequest: (cpuMicroseconds(pid) - cpuBefore) / requests };
}

async function wrk(
  url: string,
  script: string,
  seconds: number,
  connections: number,
): Promise<{ requestsPerSecond: number; requests: number }> {
  const { stdout } = await run(
    'taskset',
    [
      '-c',
      '1',
      'wrk',
      '-t',
      '1',
      '-c',
      String(connections),
      '-d',
      `${seconds}s`,
      '--timeout',
      '5s',
      '-s',
      script,
      `${url}/v1/rerank`,
    ],
    { timeout: (seconds + 30) * 1000 },
  );
  const requestsPerSecond = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const requests = /(\d+) requests in/.exec(stdout);
  if (requestsPerSecond === null || requests === null) throw new Error(`unexpected wrk output: ${stdout}`);
  if (/Non-2xx or 3xx responses/.test(stdout)) throw new Error(`the server answered errors: ${stdout}`);
  return { requestsPerSecond: Number(requestsPerSecond[1]), requests: Number(requests[1]) };
}

/** Runs the server-overhead benchmark (needs Linux `taskset` and Debian's `wrk`) and prints its table. */
export async function runServerOverheadBenchmark(
  options: ServerOverheadOptions = {},
): Promise<ServerOverheadResult> {
  const seconds = options.seconds ?? 3;
  const rounds = options.rounds ?? 6;
  const connections = options.connections ?? 50;
  const directory = mkdtempSync(join(tmpdir(), 'sealink-bench-'));
  const script = join(directory, 'rerank.lua');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      `wrk.body = ${JSON.stringify(BENCH_REQUEST_BODY)}`,
      'wrk.headers["Content-Type"] = "application/json"',
      `wrk.headers["Authorization"] = "Bearer ${BENCH_API_KEY}"`,
    ].join('\n'),
  );
  const built = await buildBenchServers();
  const app = await startPinned(built.app);
  const raw = await startPinned(built.raw);
  const result: ServerOverheadResult = {
    app: [],
    raw: [],
    ratio: 0,
    cpuRatio: 0,
    medianRatio: 0,
    medianCpuRatio: 0,
    concurrent: { app: [], raw: [], medianCpuRatio: 0 },
  };
  try {
    // Warm-up: let both JITs settle before measuring.
    await wrk(app.url, script, 2, connections);
    await wrk(raw.url, script, 2, connections);
    // Counterbalanced (app first in even rounds, raw first in odd ones), so that a machine slowing down or
    // speeding up during a round does not favour the side that always runs first.
    const appSide = { server: app, runs: result.app };
    const rawSide = { server: raw, runs: result.raw };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? [appSide, rawSide] : [rawSide, appSide]) {
        side.runs.push(await measure(side.server, script, seconds, connections));
      }
    }
    for (let round = 0; round < rounds; round++) {
      // Both at once; which wrk starts first alternates, as the order does above.
      const [first, second] = round % 2 === 0 ? [app, raw] : [raw, app];
      const [firstRun, secondRun] = await Promise.all([
        measure(first, script, seconds, connections),
        measure(second, script, seconds, connections),
      ]);
      result.concurrent.app.push(first === app ? firstRun : secondRun);
      result.concurrent.raw.push(first === app ? secondRun : firstRun);
    }
  } finally {
    await Promise.all([stop(app), stop(raw)]);
  }
  const sum = (runs: LoadRun[], key: keyof LoadRun) => runs.reduce((total, run) => total + run[key], 0);
  result.ratio = sum(result.app, 'requestsPerSecond') / sum(result.raw, 'requestsPerSecond');
  result.cpuRatio =
    sum(result.raw, 'cpuMicrosecondsPerRequest') / sum(result.app, 'cpuMicrosecondsPerRequest');
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  result.medianRatio = median(
    result.app.map((run, round) => run.requestsPerSecond / result.raw[round]!.requestsPerSecond),
  );
  result.medianCpuRatio = median(
    result.app.map(
      (run, round) => result.raw[round]!.cpuMicrosecondsPerRequest / run.cpuMicrosecondsPerRequest,
    ),
  );
  result.concurrent.medianCpuRatio = median(
    result.concurrent.app.map(
      (run, round) => result.concurrent.raw[round]!.cpuMicrosecondsPerRequest / run.cpuMicrosecondsPerRequest,
    ),
  );
  const describe = (run: LoadRun) =>
    `${run.requestsPerSecond.toFixed(0)} req/s, ${run.cpuMicrosecondsPerRequest.toFixed(1)} us CPU/req`;
  console.log(
    `server overhead: ${connections} connections, ${seconds} s per run, servers on core 0, wrk on core 1`,
  );
  for (let round = 0; round < rounds; round++) {
    const app = result.app[round]!;
    const raw = result.raw[round]!;
    console.log(
      `  round ${round + 1}: app ${describe(app)} | raw node:http ${describe(raw)} | ratio ${(app.requestsPerSecond / raw.requestsPerSecond).toFixed(3)}`,
    );
  }
  console.log(
    `  ratio of the totals, app / raw node:http: ${result.ratio.toFixed(3)} in req/s, ${result.cpuRatio.toFixed(3)} in CPU per request (one disturbed round can skew the totals)`,
  );
  console.log(
    `  median of the paired rounds: ${result.medianRatio.toFixed(3)} in req/s (goal >= 0.8: ${result.medianRatio >= 0.8 ? 'met' : 'NOT met'}), ${result.medianCpuRatio.toFixed(3)} in CPU per request; load average ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  console.log('  concurrent rounds, both servers loaded at once on core 0 (noise hits both alike):');
  for (let round = 0; round < rounds; round++) {
    const app = result.concurrent.app[round]!;
    const raw = result.concurrent.raw[round]!;
    console.log(
      `  round ${round + 1}: app ${describe(app)} | raw node:http ${describe(raw)} | CPU ratio ${(raw.cpuMicrosecondsPerRequest / app.cpuMicrosecondsPerRequest).toFixed(3)}`,
    );
  }
  const concurrentRatio = result.concurrent.medianCpuRatio;
  console.log(
    `  median of the concurrent rounds, raw CPU per request / app CPU per request (= app req/s per core / raw): ${concurrentRatio.toFixed(3)} (goal >= 0.8: ${concurrentRatio >= 0.8 ? 'met' : 'NOT met'})`,
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runServerOverheadBenchmark();
