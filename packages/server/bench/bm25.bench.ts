import { performance } from 'node:perf_hooks';
import { loadBm25BenchInputs } from './bm25-bench-inputs.js';
import {
  type Bm25Scorer,
  miniSearchScorer,
  okapiBm25Scorer,
  sealinkColdScorer,
  sealinkScorer,
  winkBm25Scorer,
} from './bm25-peer-scorers.js';

/** Limits of one measurement of one scorer. Warm-up is long enough for the optimising compiler to finish. */
const WARMUP_SECONDS = 0.6;
const ROUNDS = 5;
const ROUND_MAX_SECONDS = 0.5;
const ROUND_MAX_REQUESTS = 5_000;

/** The result of the BM25 benchmark. */
export interface Bm25BenchResult {
  /** Where the text came from. */
  source: 'scifact' | 'generated';
  /** Documents scored per second on one core, best round, per scorer name. */
  documentsPerSecond: Record<string, number>;
  /** Ours (warm) divided by the fastest peer. */
  ratioToFastestPeer: number;
}

async function measureRound(
  scorer: Bm25Scorer,
  requests: ReturnType<typeof loadBm25BenchInputs>['requests'],
  maxSeconds: number,
) {
  let documents = 0;
  let requestCount = 0;
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
  return documents / (elapsed / 1000);
}

/**
 * Documents per second per core of our BM25 backend and of the fastest BM25 packages on npm, on the same
 * requests of 100 documents of about 1,000 characters, each request scored from scratch. Rounds alternate
 * between scorers so machine noise hits all of them alike; the best round of each counts. Prints a table
 * and the ratio ours / fastest peer.
 */
export async function runBm25Benchmark(): Promise<Bm25BenchResult> {
  const inputs = loadBm25BenchInputs();
  const ours = sealinkScorer();
  const scorers = [ours, sealinkColdScorer(), okapiBm25Scorer(), winkBm25Scorer(), miniSearchScorer()];
  const peers = new Set(scorers.slice(2).map((scorer) => scorer.name));
  for (const scorer of scorers) await measureRound(scorer, inputs.requests, WARMUP_SECONDS);
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const scorer of scorers) {
      const rate = await measureRound(scorer, inputs.requests, ROUND_MAX_SECONDS);
      best.set(scorer.name, Math.max(best.get(scorer.name) ?? 0, rate));
    }
  }
  const documentsPerSecond = Object.fromEntries(best);
  const fastestPeer = Math.max(...[...best].filter(([name]) => peers.has(name)).map(([, rate]) => rate));
  const ratioToFastestPeer = (best.get(ours.name) ?? 0) / fastestPeer;

  const documentCount = inputs.requests[0]?.documents.length ?? 0;
  console.log(
    `BM25: documents per second on one core, requests of ${documentCount} documents of ~1,000 characters (${inputs.source} text)`,
  );
  console.table(
    [...best]
      .sort((left, right) => right[1] - left[1])
      .map(([name, rate]) => ({
        scorer: name,
        'documents/s': Math.round(rate),
        'x fastest peer': +(rate / fastestPeer).toFixed(2),
      })),
  );
  console.log(`ratio ours / fastest peer: ${ratioToFastestPeer.toFixed(2)}`);
  return { source: inputs.source, documentsPerSecond, ratioToFastestPeer };
}
