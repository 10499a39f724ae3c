import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InvalidMockFaultError, type MockFault, parseMockFault } from './mock-fault.js';
import {
  type FixedResponse,
  type MockAppOptions,
  type MockServerOptions,
  resolveMockAppOptions,
} from './mock-options.js';

/** The usage text of the `sealink-rerank-mock` command. */
export const CLI_USAGE = `Usage: sealink-rerank-mock [options]

Serves a mock of the SeaLink Rerank API (POST /v1/rerank, GET /v1/models, GET /v1/models/{model},
GET /openapi.json, GET /healthz) with the contract's validation and deterministic lexical scores.

Options:
  --port <n>               Port to listen on (default 4010; 0 picks a free one)
  --host <address>         Address to listen on (default 127.0.0.1)
  --api-key <key>          Accept only this key (repeatable); without it any key or none is accepted
  --model <id>             Serve this model (repeatable; default qwen3-rerank and bm25)
  --max-documents <n>      Most documents per request (default 1000)
  --max-body-bytes <n>     Largest request body (default 10485760)
  --request-timeout-ms <n> How long a request body may take to arrive (default 30000)
  --fault <json>           Queue a fault for one request (repeatable, applied in order), for example
                           '{"kind":"error","status":429,"retryAfter":"1"}'
  --always-fault <json>    Apply a fault to every /v1/ request
  --latency <ms>           Delay every /v1/ answer
  --latency-jitter <ms>    Add up to this many random milliseconds to --latency
  --seed <n>               Seed of the random latency (default 1)
  --fixed-responses <file> JSON file: [{ "query": "...", "model"?: "...", "scores": { "<document>": 0.9 } }]
  --no-fault-header        Ignore the x-mock-fault request header
  --proxy <url>            Validating proxy: forward /v1/ requests to this server and check its answers
  --proxy-api-key <key>    The key to send upstream in proxy mode (not for browser requests, with Origin)
  --errors                 Proxy strict mode: answer 502 when the upstream answer breaks the contract
  --help                   Show this help

A request can also ask for a fault with the header x-mock-fault: <JSON of a fault>.
Control routes: GET/DELETE /__mock/requests (journal), POST/DELETE /__mock/faults (queue).`;

/** What the command line asks for. */
export interface CliCommand {
  /** Whether to print the usage and stop. */
  help: boolean;
  /** The server options. */
  options: MockServerOptions;
  /** Faults applied to every `/v1/` request. */
  alwaysFaults: MockFault[];
}

/** A command-line argument that is not valid. */
export class CliArgumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliArgumentError';
  }
}

function integerOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(Number.isInteger(number) && number >= min)) {
    throw new CliArgumentError(`--${name} must be an integer of at least ${min}, got '${value}'`);
  }
  return number;
}

/**
 * Checks the server option a flag gave as `startMockServer` would, so that a value it refuses is a bad flag
 * (exit 2, with the usage) rather than a failure at start.
 */
function checkServerOption(name: string, option: MockAppOptions): void {
  try {
    resolveMockAppOptions(option);
  } catch (error) {
    if (error instanceof RangeError || error instanceof TypeError) {
      throw new CliArgumentError(`--${name}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function faultOption(name: string, text: string): MockFault {
  try {
    return parseMockFault(text);
  } catch (error) {
    if (error instanceof InvalidMockFaultError) throw new CliArgumentError(`--${name}: ${error.message}`);
    throw error;
  }
}

function readFixedResponses(path: string): FixedResponse[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliArgumentError(`--fixed-responses: cannot read ${path}: ${(error as Error).message}`);
  }
  const valid =
    Array.isArray(value) &&
    value.every(
      (item: unknown) =>
        item !== null &&
        typeof item === 'object' &&
        typeof (item as FixedResponse).query === 'string' &&
        typeof (item as FixedResponse).scores === 'object' &&
        (item as FixedResponse).scores !== null,
    );
  if (!valid) {
    throw new CliArgumentError(
      '--fixed-responses: the file must hold an array of { "query": string, "model"?: string, "scores": { [document]: number } }',
    );
  }
  return value as FixedResponse[];
}

/**
 * Parses the arguments of `sealink-rerank-mock`.
 * @throws CliArgumentError for an unknown option or an invalid value.
 */
export function parseCliArguments(args: readonly string[]): CliCommand {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    // `pnpm start -- --port 4010` passes the `--` through; it separates nothing here.
    parsed = parseOptions(args[0] === '--' ? args.slice(1) : args);
  } catch (error) {
    throw new CliArgumentError((error as Error).message, { cause: error });
  }
  const { values } = parsed;
  const options: MockServerOptions = {
    port: integerOption('port', values.port, 0) ?? 4010,
    host: values.host ?? '127.0.0.1',
    faultHeader: !values['no-fault-header'],
    overrideGlobalObjects: true,
  };
  if (options.port !== undefined && options.port > 65_535)
    throw new CliArgumentError('--port must be at most 65535');
  if (values['api-key'] !== undefined) {
    options.apiKeys = values['api-key'];
    checkServerOption('api-key', { apiKeys: options.apiKeys });
  }
  if (values.model !== undefined) {
    options.models = values.model;
    checkServerOption('model', { models: options.models });
  }
  const maxDocuments = integerOption('max-documents', values['max-documents'], 1);
  if (maxDocuments !== undefined) {
    options.maxDocuments = maxDocuments;
    checkServerOption('max-documents', { maxDocuments });
  }
  const maxBodyBytes = integerOption('max-body-bytes', values['max-body-bytes'], 1);
  if (maxBodyBytes !== undefined) {
    options.maxBodyBytes = maxBodyBytes;
    checkServerOption('max-body-bytes', { maxBodyBytes });
  }
  const requestTimeoutMs = integerOption('request-timeout-ms', values['request-timeout-ms'], 1);
  if (requestTimeoutMs !== undefined) {
    options.requestTimeoutMs = requestTimeoutMs;
    checkServerOption('request-timeout-ms', { requestTimeoutMs });
  }
  const seed = integerOption('seed', values.seed, 0);
  if (seed !== undefined) options.seed = seed;
  const latency = integerOption('latency', values.latency, 0);
  const jitter = integerOption('latency-jitter', values['latency-jitter'], 0);
  if (latency !== undefined || jitter !== undefined) {
    options.latency = { ms: latency ?? 0, jitterMs: jitter ?? 0 };
    checkServerOption(latency !== undefined ? 'latency' : 'latency-jitter', { latency: options.latency });
  }
  if (values.fault !== undefined) options.faults = values.fault.map((text) => faultOption('fault', text));
  if (values['fixed-responses'] !== undefined) {
    options.fixedResponses = readFixedResponses(values['fixed-responses']);
    checkServerOption('fixed-responses', { fixedResponses: options.fixedResponses });
  }
  if (values.proxy !== undefined) {
    try {
      new URL(values.proxy);
    } catch {
      throw new CliArgumentError(`--proxy must be a URL, got '${values.proxy}'`);
    }
    options.proxy = { url: values.proxy, strict: values.errors === true };
    if (values['proxy-api-key'] !== undefined) options.proxy.apiKey = values['proxy-api-key'];
  } else if (values.errors === true || values['proxy-api-key'] !== undefined) {
    throw new CliArgumentError('--errors and --proxy-api-key need --proxy');
  }
  // Each is a rule matching every request, and the first matching rule wins: a second would never apply.
  if ((values['always-fault']?.length ?? 0) > 1) {
    throw new CliArgumentError(
      '--always-fault may be given once: it applies to every request, so a second one would never apply (use --fault for a sequence)',
    );
  }
  return {
    help: values.help === true,
    options,
    alwaysFaults: (values['always-fault'] ?? []).map((text) => faultOption('always-fault', text)),
  };
}

function parseOptions(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      model: { type: 'string', multiple: true },
      'max-documents': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      fault: { type: 'string', multiple: true },
      'always-fault': { type: 'string', multiple: true },
      latency: { type: 'string' },
      'latency-jitter': { type: 'string' },
      seed: { type: 'string' },
      'fixed-responses': { type: 'string' },
      'no-fault-header': { type: 'boolean' },
      proxy: { type: 'string' },
      'proxy-api-key': { type: 'string' },
      errors: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
