import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DIALECTS, type DialectName, type RankedScore } from '@sealink/rerank-contract/dialects';
import { countTokens, type DocumentScore, prepareQuery, scoreDocument } from '../lexical-score.js';
import { MAX_TIMER_MS } from '../max-timer-ms.js';
import { type JournalEntry, RequestJournal, redactHeaders, redactSearch } from '../request-journal.js';
import { type EngineErrorKind, engineErrorBody, engineErrorStatus } from './engine-error-body.js';
import { engineInputLimit, type FittedPair, fitToInputLimit } from './engine-input-limit.js';
import { enginePairTexts } from './engine-pair-texts.js';
import { checkMockEngineOptions, type MockEngineOptions } from './mock-engine-options.js';
import {
  applyModelCardTemplate,
  modelCardPromptHalves,
  parseModelCardPrompt,
} from './qwen3-prompt-oracle.js';

/** A running mock engine. Dispose it (`await using`) or call {@link MockEngine.close}. */
export interface MockEngine extends AsyncDisposable {
  /** The base URL, for example `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The dialect it speaks. */
  readonly dialect: DialectName;
  /** Every scoring request it received, oldest first; credentials redacted. A snapshot: later requests leave it unchanged. */
  readonly requests: readonly JournalEntry[];
  /** Scoring requests it has answered with scores. */
  readonly scoredRequests: number;
  /** Refuses the next `count` scoring requests with `status` (500 by default), in the engine's error shape. */
  failNext(count: number, status?: number): void;
  /** Destroys the connection of the next `count` scoring requests before answering, like a crash or a stale keep-alive socket. */
  resetNext(count: number): void;
  /**
   * Changes the compute time per document and the fixed delay per request, in milliseconds (0 to 2^31 - 1).
   * @throws RangeError for a value out of that range; neither is changed then.
   */
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

/** One answer: status and JSON body. */
interface EngineAnswer {
  status: number;
  body: unknown;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** A real model's answer to a prompt it cannot read: near 0.5, with a little deterministic noise. */
function degenerateScore(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return 0.5 + (((hash >>> 0) % 1000) / 1000 - 0.5) * 0.004;
}

/**
 * Checks a latency option: milliseconds from 0 to Node's timer limit (a larger delay is run after 1 ms).
 * @throws RangeError otherwise.
 */
function latencyOption(name: string, value: number): number {
  if (!(typeof value === 'number' && value >= 0 && value <= MAX_TIMER_MS)) {
    throw new RangeError(`${name} must be a number of milliseconds from 0 to ${MAX_TIMER_MS}, got ${value}`);
  }
  return value;
}

/** Reads a request body as UTF-8 up to `maxBytes`; `undefined` when it is larger (the rest is drained unread). */
function readBody(incoming: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= maxBytes) chunks.push(chunk);
    });
    incoming.once('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks).toString('utf8')));
    incoming.once('error', reject);
  });
}

/**
 * Starts a mock inference engine or hosted rerank API on a real socket, speaking one contract dialect
 * with the engine's own routes, limits and error bodies: TEI's 413 above its batch size and 429 when
 * overloaded, vLLM's 400 on too-long input, 401 in each provider's shape on a wrong key. Over-long input
 * (`maxInputTokens`) is cut as each engine cuts it: vLLM's `truncate_prompt_tokens` keeps the last
 * tokens of the whole prompt (`-1`: the model's length; a count above it is a 400), TEI's `truncate`
 * cuts the pair to the model's length, a per-document limit (Cohere v2) cuts each document. Scores are
 * the mock's pointwise lexical score (answered as logits where the dialect returns raw scores); in Qwen3
 * mode the engine reads the model card's prompt and gives near-constant scores to any other text,
 * including a prompt whose template a truncation cut into.
 *
 * It runs on `node:http` rather than Hono: the upstream benchmark measures the gateway against these
 * engines, so their own per-request CPU must stay far below the gateway's.
 */
export async function startMockEngine(options: MockEngineOptions): Promise<MockEngine> {
  checkMockEngineOptions(options);
  const { dialect: name } = options;
  const info = DIALECTS[name];
  const dialect = info.dialect;
  const journal = new RequestJournal();
  const maxBatch = options.maxBatch ?? info.defaultMaxBatch;
  const scorePaths = new Set<string>(info.paths);
  let perDocumentMs = latencyOption('latencyPerDocumentMs', options.latencyPerDocumentMs ?? 0);
  let fixedMs = latencyOption('latencyMs', options.latencyMs ?? 0);
  let failures = options.failNext ?? 0;
  let failureStatus = 500;
  let resets = 0;
  let healthy = true;
  let busyUntil = 0;
  let inFlight = 0;
  let scoredRequests = 0;
  let requestCount = 0;
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
    kind: EngineErrorKind,
    message: string,
    entry: JournalEntry,
    status?: number,
  ): EngineAnswer => {
    const code = engineErrorStatus(name, kind, status);
    entry.status = code;
    return { status: code, body: engineErrorBody(name, kind, code, message) };
  };

  const score = async (incoming: IncomingMessage, entry: JournalEntry): Promise<EngineAnswer> => {
    if (options.apiKey !== undefined && incoming.headers.authorization !== `Bearer ${options.apiKey}`) {
      incoming.resume();
      return refuse('unauthorized', 'invalid or missing API key', entry);
    }
    const text = await readBody(incoming, MAX_BODY_BYTES);
    if (text === undefined) return refuse('invalid-body', 'request body too large', entry);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      entry.body = text;
      return refuse('invalid-json', 'the body is not valid JSON', entry);
    }
    entry.body = json;
    if (failures > 0) {
      failures--;
      return refuse('injected', 'injected failure', entry, failureStatus);
    }
    const parsed = dialect.request.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(
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
      return refuse('model-not-found', `The model \`${request.model}\` does not exist.`, entry);
    }
    if (request.documents.length > maxBatch) {
      const message = `batch size ${request.documents.length} > maximum allowed batch size ${maxBatch}`;
      return refuse('too-many-documents', message, entry);
    }
    if (options.maxConcurrentRequests !== undefined && inFlight >= options.maxConcurrentRequests) {
      return refuse('overloaded', 'Model is overloaded', entry);
    }
    const pairs = enginePairTexts(name, parsed.data);
    // vLLM's truncate_prompt_tokens, TEI's truncate or a per-document limit: how over-long pairs are read.
    const inputLimit = engineInputLimit(
      name,
      parsed.data,
      options.maxInputTokens,
      request.maxTokensPerDocument,
    );
    if (inputLimit.kind === 'invalid') return refuse('invalid-body', inputLimit.message, entry);
    const plainQuery = options.qwen3 === undefined ? prepareQuery(request.query) : undefined;
    const scores: number[] = [];
    let totalTokens = 0;
    for (const [index, document] of request.documents.entries()) {
      let relevance: DocumentScore;
      let fitted: FittedPair | undefined;
      if (plainQuery !== undefined) {
        if (inputLimit.kind !== 'unlimited') fitted = fitToInputLimit(request.query, document, inputLimit);
        relevance =
          fitted?.cut === true
            ? scoreDocument(prepareQuery(fitted.query), fitted.document, request.maxTokensPerDocument)
            : scoreDocument(plainQuery, document, request.maxTokensPerDocument);
      } else {
        // A pair-scoring engine reads query and document text as one prompt; others build it themselves.
        const formatted = options.qwen3 === 'expects-formatted' && pairs !== undefined;
        const built = formatted
          ? undefined
          : applyModelCardTemplate(request.query, document, request.instruction);
        // What the engine tokenizes: the pair as sent, or the prompt it builds (or the raw pair when
        // the texts were templated already, which it reads as noise anyway).
        const halves = formatted
          ? { query: pairs.query, document: pairs.documents[index]! }
          : built === undefined
            ? { query: request.query, document }
            : modelCardPromptHalves(built);
        if (inputLimit.kind !== 'unlimited')
          fitted = fitToInputLimit(halves.query, halves.document, inputLimit);
        // A prompt cut by the input limit is read as cut: with its template head gone, it is noise.
        const prompt =
          fitted?.cut === true
            ? fitted.query + fitted.document
            : formatted
              ? pairs.query + pairs.documents[index]
              : undefined;
        const parts = prompt === undefined ? built : parseModelCardPrompt(prompt);
        relevance =
          parts === undefined
            ? { score: degenerateScore(prompt ?? document), tokens: countTokens(prompt ?? document) }
            : scoreDocument(prepareQuery(parts.query), parts.document, request.maxTokensPerDocument);
      }
      if (fitted?.refused === true && options.maxInputTokens !== undefined) {
        const message =
          name === 'tei'
            ? `Input validation error: \`inputs\` must have less than ${options.maxInputTokens} tokens. Given: ${fitted.inputTokens}`
            : `This model's maximum context length is ${options.maxInputTokens} tokens. However, you requested ${fitted.inputTokens} tokens in the input for scoring.`;
        return refuse('input-too-long', message, entry);
      }
      totalTokens += relevance.tokens;
      scores.push(relevance.score);
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
      options.rawLogits === true || rawScoresAsked
        ? (info.rawScoreMapping ?? 'sigmoid')
        : options.scoreMapping;
    scoredRequests++;
    entry.status = 200;
    const body = dialect.toResponse({
      model: request.model === '' ? (options.model ?? 'mock-engine') : request.model,
      results,
      totalTokens,
      documentCount: request.documents.length,
      ...(scoreMapping === undefined ? {} : { scoreMapping }),
    });
    return { status: 200, body };
  };

  const handle = async (incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> => {
    const url = incoming.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    let answer: EngineAnswer;
    if (incoming.method === 'GET' && path === '/health') {
      incoming.resume();
      answer = healthy
        ? { status: 200, body: { status: 'ok' } }
        : { status: 503, body: { status: 'unhealthy' } };
    } else if (incoming.method === 'POST' && scorePaths.has(path)) {
      requestCount++;
      const entry: JournalEntry = {
        requestId: `engine-request-${requestCount}`,
        method: 'POST',
        path,
        search: queryStart === -1 ? '' : redactSearch(url.slice(queryStart)),
        headers: redactHeaders(new Headers(incoming.headers as Record<string, string>)),
        body: undefined,
        receivedAt: new Date(),
        matchedRoute: true,
      };
      journal.record(entry);
      if (resets > 0) {
        resets--;
        incoming.socket.destroy();
        return;
      }
      answer = await score(incoming, entry);
    } else {
      incoming.resume();
      answer = {
        status: 404,
        body: engineErrorBody(name, 'invalid-body', 404, `no route ${incoming.method} ${path}`),
      };
    }
    const body = JSON.stringify(answer.body);
    outgoing.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    outgoing.end(body);
  };

  const listener = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    handle(incoming, outgoing).catch((error: unknown) => {
      if (error instanceof EngineKilledError || outgoing.destroyed) return;
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify(engineErrorBody(name, 'internal', 500, 'internal error')));
    });
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, listener);
  // Engines' servers (uvicorn, axum) ignore an `Expect` they do not know; Node would answer an empty 417.
  server.on('checkExpectation', listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      for (const wait of pendingWaits) {
        clearTimeout(wait.timer);
        wait.reject(new EngineKilledError());
      }
      pendingWaits.clear();
      server.close(() => resolve());
      server.closeAllConnections();
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
    resetNext(count) {
      resets = count;
    },
    setLatency(latency) {
      const nextPerDocumentMs =
        latency.perDocumentMs === undefined
          ? perDocumentMs
          : latencyOption('perDocumentMs', latency.perDocumentMs);
      const nextFixedMs = latency.fixedMs === undefined ? fixedMs : latencyOption('fixedMs', latency.fixedMs);
      perDocumentMs = nextPerDocumentMs;
      fixedMs = nextFixedMs;
    },
    setHealthy(value) {
      healthy = value;
    },
    kill() {
      void close();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
