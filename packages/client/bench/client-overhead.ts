/**
 * Client overhead: `client.rerank()` against raw `undici.request` with the same body to the same local
 * server, concurrency 32, in alternating rounds within one run. The server runs in a child process pinned
 * to CPU 0 and this process to CPU 1 when `taskset` exists. Prints req/s of both and their ratio
 * (goal: the client reaches at least 0.9 of raw throughput), and the CPU time this process spends per
 * request on each side, which other load on a shared machine disturbs less than wall-clock throughput.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { SeaLink } from '../src/sea-link.js';
import { EXAMPLE_REQUEST, FIXED_RERANK_RESPONSE } from '../src/testing/fixed-rerank-response.js';

const CONCURRENCY = 32;
const REQUESTS_PER_ROUND = 1000;
const ROUNDS = 24;
const ROUND_TIME_LIMIT_MS = 10_000;

function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function startServer(pinned: boolean): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./fixed-response-server.mjs', import.meta.url));
  const command = pinned ? 'taskset' : process.execPath;
  const args = pinned ? ['-c', '0', process.execPath, script] : [script];
  const child = spawn(command, args, {
    env: { ...process.env, FIXED_RESPONSE_JSON: JSON.stringify(FIXED_RERANK_RESPONSE) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [data] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, url: `http://127.0.0.1:${data.toString().trim()}` };
}

/** What one round measured. */
interface Round {
  /** Requests finished. */
  requests: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU time of this process, in microseconds. */
  cpuMicroseconds: number;
}

/** Runs `count` calls with `concurrency` in flight, stopping early at the time limit. */
async function measure(call: () => Promise<unknown>, count: number): Promise<Round> {
  let started = 0;
  let finished = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const deadline = start + ROUND_TIME_LIMIT_MS;
  const worker = async () => {
    while (started < count && performance.now() < deadline) {
      started++;
      await call();
      finished++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const cpu = process.cpuUsage(cpuStart);
  return {
    requests: finished,
    seconds: (performance.now() - start) / 1000,
    cpuMicroseconds: cpu.user + cpu.system,
  };
}

const pinned = hasTaskset();
if (pinned) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
const server = await startServer(pinned);
const body = JSON.stringify(EXAMPLE_REQUEST);
const rawAgent = new Agent({ keepAliveTimeout: 30_000 });
const rawUrl = `${server.url}/v1/rerank`;
const raw = async () => {
  const response = await request(rawUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
    body,
    dispatcher: rawAgent,
  });
  await response.body.json();
};
const client = new SeaLink({ apiKey: 'sk-bench', baseURL: `${server.url}/v1` });
const viaClient = () => client.rerank(EXAMPLE_REQUEST);

try {
  await measure(raw, 1000);
  await measure(viaClient, 1000);
  const rawRounds: Round[] = [];
  const clientRounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first, so drift in machine load hits both alike.
    if (round % 2 === 0) {
      rawRounds.push(await measure(raw, REQUESTS_PER_ROUND));
      clientRounds.push(await measure(viaClient, REQUESTS_PER_ROUND));
    } else {
      clientRounds.push(await measure(viaClient, REQUESTS_PER_ROUND));
      rawRounds.push(await measure(raw, REQUESTS_PER_ROUND));
    }
  }
  // Many short rounds, alternating, summed per side: a burst of other load on the machine hits both.
  const total = (rounds: Round[]) => {
    const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
    const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
    const cpu = rounds.reduce((sum, round) => sum + round.cpuMicroseconds, 0);
    return { rate: requests / seconds, cpuPerRequest: cpu / requests };
  };
  const rawTotal = total(rawRounds);
  const clientTotal = total(clientRounds);
  const format = (rate: number) => `${Math.round(rate).toLocaleString('en-US')} req/s`;
  console.log(
    `client overhead, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${REQUESTS_PER_ROUND} per side`,
  );
  console.log(`server pinned to CPU 0, client to CPU 1: ${pinned ? 'yes' : 'no (taskset not found)'}`);
  console.log(
    `raw undici.request : ${format(rawTotal.rate)}, ${rawTotal.cpuPerRequest.toFixed(0)} µs CPU/request`,
  );
  console.log(
    `client.rerank()    : ${format(clientTotal.rate)}, ${clientTotal.cpuPerRequest.toFixed(0)} µs CPU/request`,
  );
  console.log(
    `ratio client/raw   : ${(clientTotal.rate / rawTotal.rate).toFixed(3)} of raw throughput (goal >= 0.9)`,
  );
  console.log(
    `CPU ratio raw/client: ${(rawTotal.cpuPerRequest / clientTotal.cpuPerRequest).toFixed(3)} (the throughput ratio when the client is CPU-bound)`,
  );
} finally {
  await client.close();
  await rawAgent.close();
  server.child.kill('SIGTERM');
}
