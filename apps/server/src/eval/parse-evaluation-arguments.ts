import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EvaluationUsageError } from './evaluation-usage-error.js';

/** What `pnpm eval` was asked to do. */
export interface EvaluationArguments {
  /** The BEIR folder, as an absolute path. */
  data: string;
  /** The split: `qrels/<split>.tsv`. */
  split: string;
  /** The model id. */
  model: string;
  /** A running server's base URL; ranks through its API instead of in process. */
  url: string | undefined;
  /** The API key for `url`. */
  apiKey: string | undefined;
  /** A server configuration file whose models the in-process mode may use. */
  config: string | undefined;
  /** Rank only the first this many queries. */
  limit: number | undefined;
  /** Print the usage and stop. */
  help: boolean;
}

/** The usage text of `pnpm eval`. */
export const EVALUATION_USAGE = `Usage: pnpm eval --data <BEIR folder> [--split test] [--model bm25] [--limit <queries>]
                 [--url <base url> [--api-key <key>]] [--config <server config file>]

Ranks every corpus document for each query of the split with the model and prints one JSON object:
{"ndcg@10", "recall@100", "mrr@10", "model", "split", "queries", "documents", "seconds"}.

  --data      folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv
  --split     the qrels split to evaluate (default: test)
  --model     model id: looked up in the server's model registry, or on the server at --url (default: bm25)
  --limit     evaluate only the first <n> queries of the split
  --url       rank through a running server's API (e.g. http://127.0.0.1:8080) instead of in process;
              the corpus is sent in requests of the model's max_documents, and for BM25 each request has
              its own document frequencies, so scores differ a little from one in-process call
  --api-key   the API key for --url (default: SEALINK_API_KEY)
  --config    a server configuration file (JSON) whose models the in-process mode may use (default: SEALINK_CONFIG)
`;

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new EvaluationUsageError(`--${name} must be a positive integer, got "${value}"`);
  }
  return Number(value);
}

/**
 * Parses the command line of `pnpm eval`. Relative paths are read from `cwd` (pass `INIT_CWD`, the folder
 * pnpm was started in, since pnpm runs the script inside the package). A bare `--` (which pnpm may pass
 * through) is ignored.
 */
export function parseEvaluationArguments(argv: readonly string[], cwd: string): EvaluationArguments {
  let parsed: ReturnType<typeof parseArgsStrict>;
  try {
    parsed = parseArgsStrict(argv.filter((argument) => argument !== '--'));
  } catch (error) {
    throw new EvaluationUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new EvaluationUsageError(`unexpected argument "${positionals[0]}"`);
  const help = values.help === true;
  if (values.data === undefined && !help) throw new EvaluationUsageError('--data <BEIR folder> is required');
  const data = values.data ?? '';
  const model = values.model ?? 'bm25';
  if (model.trim() === '') throw new EvaluationUsageError('--model must not be empty');
  if (values['api-key'] !== undefined && values.url === undefined) {
    throw new EvaluationUsageError('--api-key needs --url');
  }
  if (values.url !== undefined) {
    if (!URL.canParse(values.url)) {
      throw new EvaluationUsageError(
        `--url must be an absolute URL such as http://127.0.0.1:8080, got "${values.url}"`,
      );
    }
    const url = new URL(values.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new EvaluationUsageError(`--url must be an http or https URL, got "${values.url}"`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new EvaluationUsageError(
        '--url must not carry a user name or password; give the key with --api-key (or SEALINK_API_KEY)',
      );
    }
  }
  const inFolder = (path: string | undefined) =>
    path === undefined ? undefined : isAbsolute(path) ? path : resolve(cwd, path);
  return {
    data: inFolder(data) ?? data,
    split: values.split ?? 'test',
    model,
    url: values.url,
    apiKey: values['api-key'],
    config: inFolder(values.config),
    limit: positiveInteger('limit', values.limit),
    help,
  };
}

function parseArgsStrict(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      split: { type: 'string' },
      model: { type: 'string' },
      url: { type: 'string' },
      'api-key': { type: 'string' },
      config: { type: 'string' },
      limit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
