import { APIConnectionError, NotFoundError, SeaLink } from '@sealink/rerank-client';
import type { EvaluationScorer } from '@sealink/rerank-server';
import { EvaluationUsageError } from './evaluation-usage-error.js';

/** Options of {@link createUrlEvaluationScorer}. */
export interface UrlEvaluationScorerOptions {
  /** The server's base URL; `/v1` is added when the URL has no path. */
  url: string;
  /** The API key, or `null` for a server without authentication. */
  apiKey: string | null;
  /** The model id on that server. */
  model: string;
  /**
   * The time limit of each try of the first request (the model lookup), in ms; 10 000 by default, so a
   * server that accepts connections but never answers is reported in seconds, not after the client's
   * minute-long default per try.
   */
  lookupTimeoutMs?: number | undefined;
}

/** An evaluation scorer over HTTP; `close` releases its connections. */
export interface UrlEvaluationScorer extends EvaluationScorer {
  /** The model's per-request document limit, as the server lists it. */
  readonly modelMaxDocuments: number;
  /** Closes the client's connection pool. */
  close(): Promise<void>;
}

/** The API base URL of a server URL: `http://host:8080` becomes `http://host:8080/v1`. */
export function apiBaseUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = '/v1';
  return parsed.toString().replace(/\/$/, '');
}

/**
 * Ranks through a running server's API with `@sealink/rerank-client`: `rerankAll` sends the corpus in
 * requests of the model's `max_documents` (read from `GET /v1/models/{id}`) and merges the answers. Checks
 * first that the server has the model, within `lookupTimeoutMs` and one retry; a server that is down or
 * does not answer gives an error starting `cannot reach the server at <url>`.
 */
export async function createUrlEvaluationScorer(
  options: UrlEvaluationScorerOptions,
): Promise<UrlEvaluationScorer> {
  const baseURL = apiBaseUrl(options.url);
  const client = new SeaLink({ apiKey: options.apiKey, baseURL, maxRetries: 3 });
  let modelMaxDocuments: number;
  try {
    modelMaxDocuments = (
      await client.models.retrieve(options.model, {
        timeout: options.lookupTimeoutMs ?? 10_000,
        maxRetries: 1,
      })
    ).max_documents;
  } catch (error) {
    await client.close();
    if (error instanceof NotFoundError && error.code !== 'model_not_found') {
      // Not the API's answer about the model: a route it lacks (a wrong path) or some other server.
      throw new EvaluationUsageError(
        `--url ${options.url} serves no rerank API: GET ${baseURL}/models/${encodeURIComponent(options.model)} answered 404 (${error.code ?? 'not a SeaLink error'}); give the server's base URL, such as http://127.0.0.1:8080`,
      );
    }
    if (error instanceof NotFoundError) {
      throw new EvaluationUsageError(`unknown model "${options.model}" on ${options.url}: ${error.message}`);
    }
    if (error instanceof APIConnectionError) {
      throw new Error(`cannot reach the server at ${options.url}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return {
    // rerankAll splits by itself; one evaluation call carries the whole corpus.
    maxDocumentsPerCall: Number.MAX_SAFE_INTEGER,
    modelMaxDocuments,
    async score(query, documents, abortSignal) {
      const response = await client.rerankAll(
        { model: options.model, query, documents: [...documents], return_documents: false },
        abortSignal === undefined ? {} : { signal: abortSignal },
      );
      const scores = new Float64Array(documents.length);
      for (const result of response.results) scores[result.index] = result.relevance_score;
      return scores;
    },
    close: () => client.close(),
  };
}
