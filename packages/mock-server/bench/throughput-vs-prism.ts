/**
 * Throughput, startup time and memory of the mock server against Stoplight Prism 5.16 (`prism mock`)
 * on the contract's OpenAPI spec: both run as child processes and get the same request (the API page's
 * example) at the same concurrency for the same bounded time, in alternating rounds within one run, so
 * that a busy machine slows both alike; the median of the per-round ratios is printed. Numbers are noisy
 * on a shared machine: compare the ratio, not the absolute values.
 *
 * The load comes from wrk (a Debian package; CI installs it), a C load generator whose own CPU use is
 * small next to the servers', so the ratio measures the servers and not the generator.
 *
 * Run: pnpm --filter @sealink/rerank-mock-server bench
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';

const CONNECTIONS = 16;
const DURATION_SECONDS = 3;
const WARMUP_SECONDS = 2;
const ROUNDS = 3;
const READY_TIMEOUT_MS = 60_000;

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const specPath = require.resolve('@sealink/rerank-contract/openapi.json');
const prismBin = fileURLToPath(new URL('../node_modules/.bin/prism', import.meta.url));
const mockBin = fileURLToPath(new URL('../bin/sealink-rerank-mock.mjs', import.meta.url));
const body = JSON.stringify(EXAMPLE_RERANK_REQUEST);
const headers = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kilobytes) * 1024;
}

interface Target {
  name: string;
  child: ChildProcess;
  url: string;
  readyMs: number;
}

/** Spawns a server and waits until a rerank request succeeds: the time from spawn to first answer. */
async function spawnTarget(name: string, command: string, args: string[], port: number): Promise<Target> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: packageDirectory, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    if (performance.now() - started > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer within ${READY_TIMEOUT_MS} ms: ${stderr}`);
    }
    try {
      const answer = await fetch(`${url}/v1/rerank`, { method: 'POST', headers, body });
      await answer.arrayBuffer();
      if (answer.ok) return { name, child, url, readyMs: performance.now() - started };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const WRK = '/usr/bin/wrk';
const scriptDirectory = mkdtempSync(join(tmpdir(), 'sealink-bench-'));
const wrkScript = join(scriptDirectory, 'rerank.lua');
writeFileSync(
  wrkScript,
  [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(body)}`,
    ...Object.entries(headers).map(([name, value]) => `wrk.headers["${name}"] = "${value}"`),
  ].join('\n'),
);

/** CPU time a process has used so far (user + system), in milliseconds, from /proc (clock ticks of 10 ms). */
function cpuMilliseconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One round of load against a target, with the CPU time the target spent on it. */
async function measuredRound(target: Target): Promise<LoadResult & { cpuMsPerThousand: number }> {
  const pid = target.child.pid ?? 0;
  const cpuBefore = cpuMilliseconds(pid);
  const result = await load(target.url, DURATION_SECONDS);
  const cpuMs = cpuMilliseconds(pid) - cpuBefore;
  return { ...result, cpuMsPerThousand: (cpuMs / (result.requestsPerSecond * DURATION_SECONDS)) * 1000 };
}

interface LoadResult {
  requestsPerSecond: number;
  latencyP99: string;
  non2xx: number;
  socketErrors: string;
}

/** Runs wrk against the rerank route for a bounded time and reads its summary. */
async function load(url: string, seconds: number): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(
    WRK,
    ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', wrkScript, `${url}/v1/rerank`],
    { timeout: (seconds + 30) * 1000 },
  );
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN),
    latencyP99: /99%\s+(\S+)/.exec(stdout)?.[1] ?? 'n/a',
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: /Socket errors:\s+(.+)/.exec(stdout)?.[1] ?? 'none',
  };
}

function stop(target: Target): Promise<unknown> {
  target.child.kill('SIGTERM');
  return once(target.child, 'exit');
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

if (!existsSync(WRK)) {
  console.error('The bench needs wrk: apt-get install wrk');
  process.exit(1);
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const inProcess = JSON.parse(
  execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/measure-startup.ts'], {
    cwd: packageDirectory,
    encoding: 'utf8',
  }),
) as { importMs: number; startMs: number; rssDeltaBytes: number; heapDeltaBytes: number; rssBytes: number };

const mockPort = await freePort();
const mock = await spawnTarget('mock', process.execPath, [mockBin, '--port', String(mockPort)], mockPort);
const prismPort = await freePort();
let prism: Target | undefined;
let prismFailure: string | undefined;
try {
  prism = await spawnTarget(
    'prism',
    prismBin,
    ['mock', '--host', '127.0.0.1', '--port', String(prismPort), specPath],
    prismPort,
  );
} catch (error) {
  prismFailure = (error as Error).message;
}

await load(mock.url, WARMUP_SECONDS);
if (prism !== undefined) await load(prism.url, WARMUP_SECONDS);
type Round = Awaited<ReturnType<typeof measuredRound>>;
const mockRounds: Round[] = [];
const prismRounds: Round[] = [];
for (let round = 0; round < ROUNDS; round++) {
  mockRounds.push(await measuredRound(mock));
  if (prism !== undefined) prismRounds.push(await measuredRound(prism));
}
const mockRss = mock.child.pid === undefined ? Number.NaN : rssBytes(mock.child.pid);
const prismRss = prism?.child.pid === undefined ? Number.NaN : rssBytes(prism.child.pid);
await stop(mock);
if (prism !== undefined) await stop(prism);

const rates = (rounds: LoadResult[]) => rounds.map((result) => result.requestsPerSecond);
const ratios = prismRounds.map(
  (result, round) => (mockRounds[round]?.requestsPerSecond ?? Number.NaN) / result.requestsPerSecond,
);
const sum = (rounds: LoadResult[], pick: (result: LoadResult) => number) =>
  rounds.reduce((total, result) => total + pick(result), 0);

const line = (label: string, mockValue: string, prismValue: string) =>
  console.log(`${label.padEnd(34)} ${mockValue.padStart(14)} ${prismValue.padStart(14)}`);
console.log(
  `\nPOST /v1/rerank (the API page example), ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_SECONDS} s after ${WARMUP_SECONDS} s warm-up each, wrk, Node ${process.version}\n`,
);
line('', 'mock', 'prism 5.16');
line(
  'requests/s, median of rounds',
  median(rates(mockRounds)).toFixed(0),
  prism === undefined ? 'n/a' : median(rates(prismRounds)).toFixed(0),
);
line(
  'requests/s, each round',
  rates(mockRounds)
    .map((rate) => rate.toFixed(0))
    .join(' '),
  rates(prismRounds)
    .map((rate) => rate.toFixed(0))
    .join(' '),
);
line(
  'CPU ms per 1000 requests, median',
  median(mockRounds.map((round) => round.cpuMsPerThousand)).toFixed(0),
  prism === undefined ? 'n/a' : median(prismRounds.map((round) => round.cpuMsPerThousand)).toFixed(0),
);
line(
  'p99 latency, last round',
  mockRounds.at(-1)?.latencyP99 ?? 'n/a',
  prismRounds.at(-1)?.latencyP99 ?? 'n/a',
);
line(
  'non-2xx answers',
  String(sum(mockRounds, (result) => result.non2xx)),
  String(sum(prismRounds, (result) => result.non2xx)),
);
line(
  'socket errors, last round',
  mockRounds.at(-1)?.socketErrors ?? 'n/a',
  prismRounds.at(-1)?.socketErrors ?? 'n/a',
);
line('spawn to first answer (ms)', mock.readyMs.toFixed(0), prism?.readyMs.toFixed(0) ?? 'n/a');
line('RSS after load', mib(mockRss), prism === undefined ? 'n/a' : mib(prismRss));
console.log(
  `\nIn process: startMockServer() to listening ${inProcess.startMs.toFixed(1)} ms; RSS ${mib(inProcess.rssDeltaBytes)} and heap ${mib(inProcess.heapDeltaBytes)} more after it (the package's import under tsx took ${inProcess.importMs.toFixed(0)} ms; RSS then ${mib(inProcess.rssBytes)}, tsx's loader thread included)`,
);
if (prism !== undefined) {
  console.log(
    `Throughput ratio mock / prism: ${median(ratios).toFixed(1)}x (median; rounds: ${ratios.map((ratio) => `${ratio.toFixed(1)}x`).join(', ')})`,
  );
  const cpuRatios = prismRounds.map(
    (round, index) => round.cpuMsPerThousand / (mockRounds[index]?.cpuMsPerThousand ?? Number.NaN),
  );
  console.log(
    `CPU per request, prism / mock: ${median(cpuRatios).toFixed(1)}x (median; rounds: ${cpuRatios.map((ratio) => `${ratio.toFixed(1)}x`).join(', ')}); on a busy machine this is the steadier measure`,
  );
} else {
  console.log(`Prism could not be measured: ${prismFailure}`);
}
rmSync(scriptDirectory, { recursive: true, force: true });
