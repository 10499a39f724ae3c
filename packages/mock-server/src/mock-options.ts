import { DEFAULT_MAX_BODY_BYTES, MAX_DOCUMENTS } from '@sealink/rerank-contract';
import { MAX_TIMER_MS } from './max-timer-ms.js';
import type { MockFault } from './mock-fault.js';
import { DEFAULT_JOURNAL_LIMIT } from './request-journal.js';
import { showValue } from './show-value.js';

/** A fixed answer for the requests with one query: the scores of some documents, by their text. */
export interface FixedResponse {
  /** The query: exactly this text, or text the pattern matches. */
  query: string | RegExp;
  /** Only for this model, when given. */
  model?: string;
  /**
   * Scores in [0, 1] by document text. Documents not listed get the mock's lexical score, so the answer
   * stays pointwise and every invariant (sort, `top_n`, `return_documents`) still holds.
   */
  scores: Readonly<Record<string, number>>;
}

/** A delay the mock adds before answering every `/v1/` request. */
export interface MockLatency {
  /** The delay in milliseconds. */
  ms: number;
  /** Up to this many more milliseconds, drawn from the seeded random generator. */
  jitterMs?: number;
}

/** Where the validating proxy mode forwards requests. */
export interface MockProxyOptions {
  /** The real server's URL, without `/v1`, for example `http://127.0.0.1:8080`. */
  url: string;
  /** The API key to send upstream instead of the client's `Authorization`. */
  apiKey?: string;
  /** Strict mode (like `prism proxy --errors`): answer 502 `contract_violation` instead of a broken upstream answer. */
  strict?: boolean;
  /** How long to wait for the upstream's answer, in milliseconds (an integer up to 2^31 - 1); 30 000 by default. */
  timeoutMs?: number;
}

/** Options of `createMockApp`. */
export interface MockAppOptions {
  /** When given, `/v1/` requests need `Authorization: Bearer <one of these>` (401 otherwise); any key or none is accepted without. */
  apiKeys?: readonly string[];
  /** The models the mock serves; `['qwen3-rerank', 'bm25']` by default. */
  models?: readonly string[];
  /** The most documents one request may carry, reported as `max_documents`; 1000 by default. */
  maxDocuments?: number;
  /** The largest request body, in bytes; 10 MiB by default. */
  maxBodyBytes?: number;
  /**
   * How long a request body may take to arrive, in milliseconds, as the real server's request deadline:
   * a body not received in full by then gets 400 `request_receive_timeout` and the connection is closed.
   * An integer from 1 to 2^31 - 1 (Node's timer limit); 30 000 by default.
   */
  requestTimeoutMs?: number;
  /** The seed of the random generator that draws latency jitter; 1 by default. */
  seed?: number;
  /**
   * A delay before answering every `/v1/` request: milliseconds, or milliseconds and jitter; at most
   * 2^31 - 1 ms (Node's timer limit) with the jitter.
   */
  latency?: number | MockLatency;
  /** Fixed scores for some queries. */
  fixedResponses?: readonly FixedResponse[];
  /** Faults to queue at start, each for one request, in order. */
  faults?: readonly MockFault[];
  /** Whether a request may ask for a fault with the `x-mock-fault` header; `true` by default. */
  faultHeader?: boolean;
  /** Forward `/v1/` requests to a real server and check its answers against the contract. */
  proxy?: MockProxyOptions;
  /** How many requests the journal keeps before it drops the oldest; 1000 by default. */
  journalLimit?: number;
}

/** Options of `startMockServer`. */
export interface MockServerOptions extends MockAppOptions {
  /** The port; 0 (any free port) by default. */
  port?: number;
  /** The address to listen on; `127.0.0.1` by default. */
  host?: string;
  /**
   * Whether `@hono/node-server` may replace the global `Request` and `Response` with its faster ones.
   * `false` by default, so a mock started inside a test process leaves the process's globals alone; the
   * CLI, which owns its process, turns it on.
   */
  overrideGlobalObjects?: boolean;
}

/** The models a mock serves by default. */
export const DEFAULT_MOCK_MODELS: readonly string[] = ['qwen3-rerank', 'bm25'];

/** {@link MockAppOptions} with defaults applied and checked. */
export interface ResolvedMockAppOptions {
  /** The accepted keys; empty means any. */
  apiKeys: ReadonlySet<string>;
  /** The served models. */
  models: readonly string[];
  /** The most documents per request. */
  maxDocuments: number;
  /** The largest body. */
  maxBodyBytes: number;
  /** How long a body may take to arrive, in milliseconds. */
  requestTimeoutMs: number;
  /** The seed. */
  seed: number;
  /** The delay before every `/v1/` answer, if any. */
  latency: MockLatency | undefined;
  /** Fixed scores. */
  fixedResponses: readonly FixedResponse[];
  /** Whether `x-mock-fault` is honoured. */
  faultHeader: boolean;
  /** The proxy, if any. */
  proxy: MockProxyOptions | undefined;
  /** How many requests the journal keeps. */
  journalLimit: number;
}

/** The options of {@link MockAppOptions}, to refuse a misspelt one instead of ignoring it. */
const APP_OPTION_NAMES: readonly string[] = [
  'apiKeys',
  'models',
  'maxDocuments',
  'maxBodyBytes',
  'requestTimeoutMs',
  'seed',
  'latency',
  'fixedResponses',
  'faults',
  'faultHeader',
  'proxy',
  'journalLimit',
] satisfies readonly (keyof MockAppOptions)[];

/** The options {@link MockServerOptions} adds to {@link MockAppOptions}. */
const SERVER_OPTION_NAMES: readonly string[] = [
  'port',
  'host',
  'overrideGlobalObjects',
] satisfies readonly (keyof MockServerOptions)[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Refuses a key not in `known` (a misspelt option, such as `apikeys`, would otherwise be ignored: a mock
 * without the keys the test meant to require).
 */
function checkKnownKeys(where: string, value: object, known: readonly string[], hint = ''): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const name = where === '' ? key : `${where}.${key}`;
      throw new TypeError(
        `Unknown mock option '${name}'${hint === '' ? ` (the options${where === '' ? '' : ` of ${where}`} are ${known.join(', ')})` : hint}`,
      );
    }
  }
}

function checkOptionsObject(options: unknown): void {
  if (!isPlainObject(options)) throw new TypeError(`options must be an object, got ${showValue(options)}`);
}

function checkBoolean(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${name} must be true or false, got ${showValue(value)}`);
  }
}

/**
 * Checks the options of `startMockServer`, its own (`port`, `host`, `overrideGlobalObjects`) and the
 * names of the app's, and returns the app's, for `createMockApp`.
 * @throws RangeError or TypeError for an unknown option or one out of range.
 */
export function splitMockServerOptions(options: MockServerOptions): MockAppOptions {
  checkOptionsObject(options);
  checkKnownKeys('', options, [...APP_OPTION_NAMES, ...SERVER_OPTION_NAMES]);
  const { port, host, overrideGlobalObjects, ...appOptions } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${showValue(port)}`);
  }
  if (host !== undefined && !(typeof host === 'string' && host !== '')) {
    throw new TypeError(`host must be a non-empty string, got ${showValue(host)}`);
  }
  checkBoolean('overrideGlobalObjects', overrideGlobalObjects);
  return appOptions;
}

function checkFixedResponses(fixedResponses: unknown): void {
  if (fixedResponses === undefined) return;
  if (!Array.isArray(fixedResponses)) {
    throw new TypeError(`fixedResponses must be a list, got ${showValue(fixedResponses)}`);
  }
  fixedResponses.forEach((fixed: unknown, index) => {
    const where = `fixedResponses[${index}]`;
    if (!isPlainObject(fixed)) throw new TypeError(`${where} must be an object, got ${showValue(fixed)}`);
    checkKnownKeys(where, fixed, ['query', 'model', 'scores'] satisfies (keyof FixedResponse)[]);
    if (!(typeof fixed.query === 'string' || fixed.query instanceof RegExp)) {
      throw new TypeError(`${where}.query must be a string or a RegExp, got ${showValue(fixed.query)}`);
    }
    if (fixed.model !== undefined && typeof fixed.model !== 'string') {
      throw new TypeError(`${where}.model must be a string, got ${showValue(fixed.model)}`);
    }
    if (!isPlainObject(fixed.scores)) {
      throw new TypeError(
        `${where}.scores must be an object of scores by document text, got ${showValue(fixed.scores)}`,
      );
    }
  });
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!(Number.isInteger(value) && value >= 1 && value <= max)) {
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

/**
 * Applies the defaults to mock options and checks them.
 * @throws RangeError or TypeError for an option out of range.
 */
export function resolveMockAppOptions(options: MockAppOptions): ResolvedMockAppOptions {
  checkOptionsObject(options);
  checkKnownKeys(
    '',
    options,
    APP_OPTION_NAMES,
    SERVER_OPTION_NAMES.some((name) => Object.hasOwn(options, name))
      ? ` (${SERVER_OPTION_NAMES.join(', ')} are options of startMockServer, not createMockApp)`
      : '',
  );
  const models = options.models ?? DEFAULT_MOCK_MODELS;
  if (!Array.isArray(models)) {
    throw new TypeError(`models must be a non-empty list of non-empty model ids, got ${showValue(models)}`);
  }
  if (models.length === 0 || models.some((model) => typeof model !== 'string' || model === '')) {
    throw new TypeError('models must be a non-empty list of non-empty model ids');
  }
  const apiKeys = options.apiKeys ?? [];
  if (!Array.isArray(apiKeys)) {
    throw new TypeError(`apiKeys must be a list of non-empty strings, got ${showValue(apiKeys)}`);
  }
  if (apiKeys.some((key) => typeof key !== 'string' || !/^\S+$/.test(key))) {
    throw new TypeError('apiKeys must be non-empty strings without white space');
  }
  if (options.faults !== undefined && !Array.isArray(options.faults)) {
    throw new TypeError(`faults must be a list of faults, got ${showValue(options.faults)}`);
  }
  checkBoolean('faultHeader', options.faultHeader);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) {
    throw new RangeError(`seed must be an integer, got ${showValue(options.seed)}`);
  }
  if (isPlainObject(options.latency)) {
    checkKnownKeys('latency', options.latency, ['ms', 'jitterMs'] satisfies (keyof MockLatency)[]);
  }
  checkFixedResponses(options.fixedResponses);
  if (options.proxy !== undefined) {
    if (!isPlainObject(options.proxy))
      throw new TypeError(`proxy must be an object, got ${showValue(options.proxy)}`);
    checkKnownKeys('proxy', options.proxy, [
      'url',
      'apiKey',
      'strict',
      'timeoutMs',
    ] satisfies (keyof MockProxyOptions)[]);
  }
  const latency = typeof options.latency === 'number' ? { ms: options.latency } : options.latency;
  if (latency !== undefined && !(latency.ms >= 0 && (latency.jitterMs ?? 0) >= 0)) {
    throw new RangeError('latency must be a number of milliseconds, 0 or more');
  }
  // The delay is drawn up to ms + jitterMs: above Node's timer limit, it would be run after 1 ms.
  const longestLatency = latency === undefined ? 0 : latency.ms + (latency.jitterMs ?? 0);
  if (!(longestLatency <= MAX_TIMER_MS)) {
    throw new RangeError(
      `latency must be at most ${MAX_TIMER_MS} ms, jitter included (Node's timer limit), got ${longestLatency}`,
    );
  }
  for (const fixed of options.fixedResponses ?? []) {
    for (const [text, score] of Object.entries(fixed.scores)) {
      // A JSON file (the CLI's --fixed-responses) may hold anything: null would be ignored and true or
      // '' coerced to a score, so only numbers are taken.
      if (typeof score !== 'number' || !(score >= 0 && score <= 1)) {
        throw new RangeError(
          `fixed score ${typeof score === 'number' ? score : (JSON.stringify(score) ?? String(score))} of document ${JSON.stringify(text)} is not a number in [0, 1]`,
        );
      }
    }
  }
  if (options.proxy !== undefined) {
    new URL(options.proxy.url);
    if (options.proxy.timeoutMs !== undefined) {
      positiveInteger('proxy.timeoutMs', options.proxy.timeoutMs, MAX_TIMER_MS);
    }
  }
  return {
    apiKeys: new Set(apiKeys),
    models: [...models],
    maxDocuments: positiveInteger('maxDocuments', options.maxDocuments ?? MAX_DOCUMENTS, MAX_DOCUMENTS),
    maxBodyBytes: positiveInteger('maxBodyBytes', options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
    requestTimeoutMs: positiveInteger('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, MAX_TIMER_MS),
    seed: options.seed ?? 1,
    latency,
    fixedResponses: options.fixedResponses ?? [],
    faultHeader: options.faultHeader ?? true,
    proxy: options.proxy,
    journalLimit: positiveInteger('journalLimit', options.journalLimit ?? DEFAULT_JOURNAL_LIMIT),
  };
}
