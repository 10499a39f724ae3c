// `pnpm eval --url` reads SEALINK_API_KEY as the client reads it by itself (and as the server reads its own
// variables): white space around the key (a CRLF env file's carriage return) is ignored, and an empty or
// blank variable counts as unset, so a server without authentication is called without a key.
import { captureLogger, SMALL_BEIR_FOLDER, writeBeirFolder } from '@sealink/rerank-server/testing';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../config/load-server-config.js';
import { createServerFromConfig } from '../create-server-from-config.js';
import type { EvaluationArguments } from './parse-evaluation-arguments.js';
import { runEvaluation } from './run-evaluation.js';

const API_KEY = 'sk-eval-env-key';
const quiet = { isTTY: false, write: () => true };

async function startServer(env: Record<string, string>) {
  const server = createServerFromConfig(loadServerConfig({ env: { PORT: '0', ...env } }), {
    logger: captureLogger('warn').logger,
  });
  const running = await server.start();
  return { url: running.url, [Symbol.asyncDispose]: () => server.stop() };
}

function overHttp(data: string, url: string): EvaluationArguments {
  return {
    data,
    split: 'test',
    model: 'bm25',
    url,
    apiKey: undefined,
    config: undefined,
    limit: undefined,
    help: false,
  };
}

describe('runEvaluation --url with SEALINK_API_KEY from the environment', () => {
  it.each([`${API_KEY}\r`, ` ${API_KEY} `, `${API_KEY}\n`])(
    'sends SEALINK_API_KEY=%j without the white space around it',
    async (value) => {
      await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
      await using server = await startServer({ SEALINK_API_KEYS: API_KEY });
      const result = await runEvaluation(overHttp(folder.path, server.url), {
        env: { SEALINK_API_KEY: value },
        progress: quiet,
      });
      expect(result.queries).toBeGreaterThan(0);
      expect(result['ndcg@10']).toBeGreaterThan(0);
    },
  );

  it.each(['', '  '])('calls a server without authentication when SEALINK_API_KEY=%j', async (value) => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    await using server = await startServer({});
    const result = await runEvaluation(overHttp(folder.path, server.url), {
      env: { SEALINK_API_KEY: value },
      progress: quiet,
    });
    expect(result.queries).toBeGreaterThan(0);
  });
});
