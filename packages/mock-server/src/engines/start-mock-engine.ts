import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { DIALECTS, type DialectName, type RankedScore } from '@sealink/rerank-contract/dialects';
import { type Context, Hono } from 'hono';
import { countTokens, lexicalScore } from '../lexical-score.js';
import { readLimitedBody } from '../read-limited-body.js';
import { type JournalEntry, RequestJournal, redactHeaders } from '../request-journal.js';
import { type EngineErrorKind, engineErrorBody, engineErrorStatus } from './engine-error-body.js';
import { enginePairTexts } from './engine-pair-texts.js';
import type { MockEngineOptions } from './mock-engine-options.js';
import {
  applyModelCardTemplate,
  parseModelCardPrompt,
  type Qwen3PromptParts,
} from './qwen3-prompt-oracle.js';

/** A running mock engine. Dispose it (`await using`) or call {@link MockEngine.close}. */
export interface MockEngine extends AsyncDisposable {
  /** The base URL, for example `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The dialect it speaks. */
  readonly dialect: DialectName;
  /** Every request it received, oldest first; credentials redacted. */
  readonly requests: readonly JournalEntry[];
  /** Scoring requests it has answered with scores. */
  readonly scoredRequests: number;
  /** Refuses the next `count` scoring requests with `status` (500 by default), in the engine's error shape. */
  failNext(count: number, status?: number): void;
  /** Changes the compute time per document and the fixed delay per request, in milliseconds. */
  setLatency(latency: { perDocumentMs?: number; fixedMs?: number }): void;
  /** Makes `GET /health` answer 200 (healthy) or 503. */
  setHealthy(healthy: boolean): void;
  /** Dies at once, like a crashed process: every connection is destroyed mid-request and new ones are refused. */
  kill(): void;
  /** Stops listening and closes every connection; in-flight requests are cut. Safe to call twice. */
  close(): Promise<void>;
}

/** Thrown into the handlers of in-flight requests when the engine is killed. */
class EngineKilledError extends Error {
  constructor() {
    super('the mock engine was killed');
    this.name = 'EngineKilledError';
  }
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A real model's answer to a prompt it cannot read: near 0.5, with a little deterministic noise. */
function degenerateScore(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return 0.5 + (((hash >>> 0) % 1000) / 1000 - 0.5) * 0.004;
}

/**
 * Starts a mock inference engine or hosted rerank API on a real socket, speaking one contract dialect
 * with the engine's own routes, limits and error bodies: TEI's 413 above its batch size and 429 when
 * overloaded, vLLM's 400 on too-long input, 401 in each provider's shape on a wrong key. Scores are the
 * mock's pointwise lexical score (answered as logits where the dialect returns raw scores); in Qwen3 mode
 * the engine reads the model card's prompt and gives near-constant scores to any other text.
 */
export async function startMockEngine(options: MockEngineOptions): Promise<MockEngine> {
  const { dialect: name } = options;
  const info = DIALECTS[name];
  const dialect = info.dialect;
  const journal = new RequestJournal();
  const maxBatch = options.maxBatch ?? info.defaultMaxBatch;
  let perDocumentMs = options.latencyPerDocumentMs ?? 0;
  let fixedMs = options.latencyMs ?? 0;
  let failures = options.failNext ?? 0;
  let failureStatus = 500;
  let healthy = true;
  let busyUntil = 0;
  let inFlight = 0;
  let scoredRequests = 0;
  let killed = false;
  const pendingWaits = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();

  /** Waits for the engine's single compute slot, then for the compute time of `documents`. */
  const compute = (documents: number): Promise<void> => {
    const now = performance.now();
    const start = Math.max(now, busyUntil);
    busyUntil = start + documents * perDocumentMs;
    const waitMs = busyUntil - now + fixedMs;
    if (waitMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wait = {
        timer: setTimeout(() => {
          pendingWaits.delete(wait);
          resolve();
        }, waitMs),
        reject,
      };
      pendingWaits.add(wait);
    });
  };

  const refuse = (
    c: Context,
    kind: EngineErrorKind,
    message: string,
    entry: JournalEntry,
    status?: number,
  ) => {
    const code = engineErrorStatus(name, kind, status);
    entry.status = code;
    return c.json(engineErrorBody(name, kind, code, message) as object, code as 400);
  };

  const app = new Hono();
  app.get('/health', (c) => (healthy ? c.json({ status: 'ok' }) : c.json({ status: 'unhealthy' }, 503)));

  const scoreRoute = async (c: Context) => {
    const entry: JournalEntry = {
      requestId: crypto.randomUUID(),
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      search: '',
      headers: redactHeaders(c.req.raw.headers),
      body: undefined,
      receivedAt: new Date(),
      matchedRoute: true,
    };
    journal.record(entry);
    if (options.apiKey !== undefined && c.req.header('authorization') !== `Bearer ${options.apiKey}`) {
      return refuse(c, 'unauthorized', 'invalid or missing API key', entry);
    }
    const read = await readLimitedBody(c.req.raw, MAX_BODY_BYTES);
    if (read.kind === 'too-large') return refuse(c, 'invalid-body', 'request body too large', entry);
    let json: unknown;
    try {
      json = JSON.parse(read.text);
    } catch {
      entry.body = read.text;
      return refuse(c, 'invalid-json', 'the body is not valid JSON', entry);
    }
    entry.body = json;
    if (failures > 0) {
      failures--;
      return refuse(c, 'injected', 'injected failure', entry, failureStatus);
    }
    const parsed = dialect.request.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(
        c,
        'invalid-body',
        `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
        entry,
      );
    }
    const request = dialect.fromRequest(
      parsed.data,
      options.model === undefined ? {} : { defaultModel: options.model },
    );
    if (options.model !== undefined && request.model !== '' && request.model !== options.model) {
      return refuse(c, 'model-not-found', `The model \`${request.model}\` does not exist.`, entry);
    }
    if (request.documents.length > maxBatch) {
      return refuse(
        c,
        'too-many-documents',
        `batch size ${request.documents.length} > maximum allowed batch size ${maxBatch}`,
        entry,
      );
    }
    if (options.maxConcurrentRequests !== undefined && inFlight >= options.maxConcurrentRequests) {
      return refuse(c, 'overloaded', 'Model is overloaded', entry);
    }
    const pairs = enginePairTexts(name, parsed.data);
    const truncates = request.maxTokensPerDocument !== undefined;
    const scores: number[] = [];
    let totalTokens = 0;
    for (const [index, document] of request.documents.entries()) {
      let parts: Qwen3PromptParts | undefined = { instruction: '', query: request.query, document };
      let prompt = `${request.query}\n${document}`;
      if (options.qwen3 === 'expects-formatted') {
        prompt = pairs === undefined ? prompt : pairs.query + pairs.documents[index];
        parts = parseModelCardPrompt(prompt);
      } else if (options.qwen3 === 'applies-template') {
        parts = applyModelCardTemplate(request.query, document, request.instruction);
      }
      const tokens = countTokens(prompt);
      if (options.maxInputTokens !== undefined && tokens > options.maxInputTokens && !truncates) {
        return refuse(
          c,
          'input-too-long',
          `This model's maximum context length is ${options.maxInputTokens} tokens. However, you requested ${tokens} tokens in the input for scoring.`,
          entry,
        );
      }
      totalTokens += tokens;
      scores.push(
        parts === undefined
          ? degenerateScore(prompt)
          : lexicalScore(parts.query, parts.document, request.maxTokensPerDocument),
      );
    }
    inFlight++;
    try {
      await compute(request.documents.length);
    } finally {
      inFlight--;
    }
    const results: RankedScore[] = scores
      .map((relevanceScore, index): RankedScore => {
        const ranked: RankedScore = { index, relevanceScore };
        if (request.returnDocuments) ranked.text = request.documents[index]!;
        return ranked;
      })
      .sort((a, b) => b.relevanceScore - a.relevanceScore || a.index - b.index)
      .slice(0, request.topN);
    const rawScoresAsked = (json as { raw_scores?: unknown }).raw_scores === true;
    const scoreMapping =
      options.rawLogits === true || rawScoresAsked ? (info.rawScoreMapping ?? 'sigmoid') : undefined;
    scoredRequests++;
    entry.status = 200;
    return c.json(
      dialect.toResponse({
        model: request.model === '' ? (options.model ?? 'mock-engine') : request.model,
        results,
        totalTokens,
        ...(scoreMapping === undefined ? {} : { scoreMapping }),
      }) as object,
    );
  };
  for (const path of info.paths) app.post(path, scoreRoute);
  app.onError((error, c) => {
    if (error instanceof EngineKilledError) return c.body(null, 500);
    return c.json(engineErrorBody(name, 'internal', 500, 'internal error') as object, 500);
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 0,
        hostname: options.host ?? '127.0.0.1',
        overrideGlobalObjects: false,
      },
      () => resolve(started),
    );
    started.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const stopWaits = () => {
    for (const wait of pendingWaits) {
      clearTimeout(wait.timer);
      wait.reject(new EngineKilledError());
    }
    pendingWaits.clear();
  };
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      killed = true;
      stopWaits();
      server.close(() => resolve());
      if ('closeAllConnections' in server) server.closeAllConnections();
    });
    return closed;
  };

  return {
    url: `http://${host}:${address.port}`,
    dialect: name,
    get requests() {
      return journal.requests;
    },
    get scoredRequests() {
      return scoredRequests;
    },
    failNext(count, status = 500) {
      failures = count;
      failureStatus = status;
    },
    setLatency(latency) {
      if (latency.perDocumentMs !== undefined) perDocumentMs = latency.perDocumentMs;
      if (latency.fixedMs !== undefined) fixedMs = latency.fixedMs;
    },
    setHealthy(value) {
      healthy = value;
    },
    kill() {
      if (killed) return;
      void close();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
