import { type EvaluationScorer, evaluateRanking, readBeirDataset } from '@sealink/rerank-server';
import { createUrlEvaluationScorer } from './create-url-evaluation-scorer.js';
import type { EvaluationArguments } from './parse-evaluation-arguments.js';
import { ProgressBar, type ProgressOutput } from './progress-bar.js';
import { resolveEvaluationBackend } from './resolve-evaluation-backend.js';

/** The one JSON object `pnpm eval` prints. */
export interface EvaluationReport {
  /** Mean nDCG@10 over the queries. */
  'ndcg@10': number;
  /** Mean Recall@100. */
  'recall@100': number;
  /** Mean reciprocal rank within the first 10. */
  'mrr@10': number;
  /** The model id. */
  model: string;
  /** The split. */
  split: string;
  /** How many queries were ranked. */
  queries: number;
  /** How many documents each query ranked. */
  documents: number;
  /** Wall time of the ranking, in seconds (reading the folder excluded). */
  seconds: number;
}

/** Options of {@link runEvaluation}. */
export interface RunEvaluationOptions {
  /** The environment: server configuration for in-process models, `SEALINK_API_KEY` for `--url`. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where progress and notes go (stderr); the bar shows only on a terminal. */
  progress: ProgressOutput;
  /** Stops the run. */
  abortSignal?: AbortSignal;
  /** The directory relative paths of the server configuration are read from; the working directory by default. */
  cwd?: string | undefined;
}

const round = (value: number) => Math.round(value * 100_000) / 100_000;

/**
 * Reads the BEIR folder (`readBeirDataset` refuses one whose measures would mean nothing), ranks the whole corpus for each query with the model (in process, or through the
 * server at `--url`) and returns the report. In process, a BM25 model takes the whole corpus in one call
 * (one set of document frequencies); when a model or the server takes fewer documents per call than the
 * corpus has, one note on `progress` says so.
 */
export async function runEvaluation(
  args: EvaluationArguments,
  options: RunEvaluationOptions,
): Promise<EvaluationReport> {
  // The whole split is read and checked; --limit applies after, to the queries ranked.
  // Ctrl-C also stops the reading: a corpus of millions of documents takes a minute to read.
  const dataset = await readBeirDataset(args.data, {
    split: args.split,
    ...(args.limit === undefined ? {} : { limit: args.limit }),
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
  });
  let scorer: EvaluationScorer;
  let close = async () => {};
  if (args.url === undefined) {
    const backend = resolveEvaluationBackend(args.model, {
      env: options.env,
      configPath: args.config,
      cwd: options.cwd,
      corpusSize: dataset.documents.length,
    });
    const perCall = backend.limits.maxDocumentsPerCall;
    if (perCall < dataset.documents.length) {
      // Never a BM25 model (it takes the whole corpus in one call); an upstream takes MAX_DOCUMENTS.
      const calls = Math.ceil(dataset.documents.length / Math.max(1, perCall));
      options.progress.write(
        `note: ${args.model} takes ${perCall} documents per call, so the ${dataset.documents.length} documents go in ${calls} calls per query, each scored on its own, and their scores are compared as they are.\n`,
      );
    }
    await backend.load?.(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal });
    scorer = {
      maxDocumentsPerCall: backend.limits.maxDocumentsPerCall,
      score: async (query, documents, abortSignal) =>
        (await backend.doScore({ query, documents, ...(abortSignal === undefined ? {} : { abortSignal }) }))
          .scores,
    };
    close = async () => backend.close?.();
  } else {
    // As the client reads SEALINK_API_KEY by itself: white space around the key (a CRLF env file's carriage
    // return) ignored, empty or blank the same as unset (no key, for a server without authentication).
    const keyFromEnvironment = options.env.SEALINK_API_KEY?.trim() || null;
    const remote = await createUrlEvaluationScorer({
      url: args.url,
      apiKey: args.apiKey ?? keyFromEnvironment,
      model: args.model,
    });
    if (remote.modelMaxDocuments < dataset.documents.length) {
      options.progress.write(
        `note: the server takes ${remote.modelMaxDocuments} documents per request, so the ${dataset.documents.length} documents go in several requests; for BM25 each has its own document frequencies.\n`,
      );
    }
    scorer = remote;
    close = () => remote.close();
  }
  const bar = new ProgressBar(options.progress, `${args.model} on ${args.split}`);
  const started = performance.now();
  try {
    const metrics = await evaluateRanking(dataset, scorer, {
      onProgress: (done, total) => bar.update(done, total),
      ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
    });
    return {
      'ndcg@10': round(metrics['ndcg@10']),
      'recall@100': round(metrics['recall@100']),
      'mrr@10': round(metrics['mrr@10']),
      model: args.model,
      split: args.split,
      queries: metrics.queries,
      documents: metrics.documents,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } finally {
    // Also when the run stops midway (Ctrl-C, a model error), so the error starts a line of its own.
    bar.finish();
    await close();
  }
}
