import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadBm25BenchInputs } from './bm25-bench-inputs.js';
import {
  type Bm25Scorer,
  miniSearchScorer,
  okapiBm25Scorer,
  sealinkColdScorer,
  sealinkScorer,
  winkBm25Scorer,
} from './bm25-peer-scorers.js';

/** Limits of the measurement. Warm-up is long enough for the optimising compiler to finish. */
const WARMUP_SECONDS = 0.6;
/** Rounds per scorer; odd, so the median is one round's value. */
const ROUNDS = 15;
const ROUND_MAX_SECONDS = 0.15;
const ROUND_MAX_REQUESTS = 2_000;

/** The result of the BM25 benchmark. */
export interface Bm25BenchResult {
  /** Where the text came from. */
  source: 'scifact' | 'generated';
  /** Documents scored per second of the process's CPU time (one core), median of the rounds, per scorer. */
  documentsPerCpuSecond: Record<string, number>;
  /** Documents scored per second of elapsed time, median of the rounds, per scorer. */
  documentsPerSecond: Record<string, number>;
  /**
   * Ours (warm) over the fastest peer, per round on CPU time (each round of ours against the peers' rounds
   * right after it): the median, the lowest and the highest.
   */
  ratioToFastestPeer: { median: number; lowest: number; highest: number };
  /** The machine's 1-minute load average at the start and at the end. */
  loadAverage: { start: number; end: number };
}

/** One round of one scorer: documents per CPU second and per elapsed second. */
interface RoundRate {
  cpu: number;
  wall: number;
}

/** A full collection before each round, so that no scorer pays for another one's garbage. */
function createCollector(): () => void {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as unknown;
  return typeof collect === 'function' ? () => collect() : () => undefined;
}

async function measureRound(
  scorer: Bm25Scorer,
  requests: ReturnType<typeof loadBm25BenchInputs>['requests'],
  maxSeconds: number,
): Promise<RoundRate> {
  let documents = 0;
  let requestCount = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (requestCount < ROUND_MAX_REQUESTS && elapsed < maxSeconds * 1000) {
    const request = requests[requestCount % requests.length];
    if (request === undefined) break;
    await scorer.score(request);
    documents += request.documents.length;
    requestCount++;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { cpu: documents / ((cpu.user + cpu.system) / 1e6), wall: documents / (elapsed / 1000) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

/**
 * Documents per second per core of our BM25 backend and of the fastest BM25 packages on npm, on the same
 * requests of 100 documents of about 1,000 characters, each request scored from scratch (every scorer
 * tokenizes every document of every request; only ours keeps its table of analysed words across requests,
 * as it does in the server, and the "cold" row shows it without). Each scorer is warmed up, then measured
 * in short rounds that rotate the order of the scorers, each after a full garbage collection; a scorer's
 * rate is the median of its rounds, in documents per second of CPU time (what one core does, even when the
 * machine is busy) and of elapsed time. The ratio ours / fastest peer is taken per round and its median
 * printed with its range, with the load average, since absolute numbers move with the machine's load.
 */
export async function runBm25Benchmark(): Promise<Bm25BenchResult> {
  const loadAtStart = loadavg()[0] ?? 0;
  const inputs = loadBm25BenchInputs();
  const collect = createCollector();
  const ours = sealinkScorer();
  const scorers = [ours, sealinkColdScorer(), okapiBm25Scorer(), winkBm25Scorer(), miniSearchScorer()];
  const peers = scorers.slice(2);
  for (const scorer of scorers) await measureRound(scorer, inputs.requests, WARMUP_SECONDS);
  const rounds = new Map<string, RoundRate[]>(scorers.map((scorer) => [scorer.name, []]));
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rates = new Map<string, RoundRate>();
    for (let turn = 0; turn < scorers.length; turn++) {
      const scorer = scorers[(round + turn) % scorers.length] as Bm25Scorer;
      collect();
      const rate = await measureRound(scorer, inputs.requests, ROUND_MAX_SECONDS);
      rates.set(scorer.name, rate);
      rounds.get(scorer.name)?.push(rate);
    }
    const fastestPeerInRound = Math.max(...peers.map((peer) => rates.get(peer.name)?.cpu ?? 0));
    ratios.push((rates.get(ours.name)?.cpu ?? 0) / fastestPeerInRound);
  }
  const documentsPerCpuSecond: Record<string, number> = {};
  const documentsPerSecond: Record<string, number> = {};
  for (const [name, rates] of rounds) {
    documentsPerCpuSecond[name] = median(rates.map((rate) => rate.cpu));
    documentsPerSecond[name] = median(rates.map((rate) => rate.wall));
  }
  const fastestPeer = Math.max(...peers.map((peer) => documentsPerCpuSecond[peer.name] ?? 0));
  const loadAtEnd = loadavg()[0] ?? 0;

  const documentCount = inputs.requests[0]?.documents.length ?? 0;
  console.log(
    `BM25: documents per second on one core, requests of ${documentCount} documents of ~1,000 characters (${inputs.source} text), median of ${ROUNDS} rounds`,
  );
  console.table(
    Object.entries(documentsPerCpuSecond)
      .sort((left, right) => right[1] - left[1])
      .map(([name, rate]) => ({
        scorer: name,
        'documents/s CPU': Math.round(rate),
        'documents/s elapsed': Math.round(documentsPerSecond[name] ?? 0),
        'x fastest peer': +(rate / fastestPeer).toFixed(2),
      })),
  );
  const ratioToFastestPeer = {
    median: median(ratios),
    lowest: Math.min(...ratios),
    highest: Math.max(...ratios),
  };
  console.log(
    `ratio ours / fastest peer (CPU time, per round): median ${ratioToFastestPeer.median.toFixed(2)}, range ${ratioToFastestPeer.lowest.toFixed(2)}-${ratioToFastestPeer.highest.toFixed(2)}; load average ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end`,
  );
  return {
    source: inputs.source,
    documentsPerCpuSecond,
    documentsPerSecond,
    ratioToFastestPeer,
    loadAverage: { start: loadAtStart, end: loadAtEnd },
  };
}

// `npx tsx bench/bm25.bench.ts` runs this benchmark alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runBm25Benchmark();
