import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EXAMPLE_RERANK_REQUEST, rerankCodeSamples } from '@sealink/rerank-contract';
import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import { captureLogger } from '@sealink/rerank-server/testing';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config/load-server-config.js';
import { createServerFromConfig } from './create-server-from-config.js';

const run = promisify(execFile);
const API_KEY = 'sk-page-example-key';
const SOURDOUGH_INDEX = 1;

async function startDefaultServer() {
  const config = loadServerConfig({ env: { PORT: '0', SEALINK_API_KEYS: API_KEY } });
  const server = createServerFromConfig(config, { logger: captureLogger('warn').logger });
  const running = await server.start();
  return { url: running.url, [Symbol.asyncDispose]: () => server.stop() };
}

function sample(label: string, baseUrl: string): string {
  const found = rerankCodeSamples(`${baseUrl}/v1`, 'bm25').find((candidate) => candidate.label === label);
  if (found === undefined) throw new Error(`no ${label} sample`);
  return found.source;
}

/** The `doc[i] score=s` lines the Python and Node samples print. */
function printedRanking(output: string): { index: number; score: number }[] {
  return output
    .trim()
    .split('\n')
    .map((line) => {
      const match = /^doc\[(\d+)\] score=(\d\.\d{4})$/.exec(line.trim());
      if (match === null) throw new Error(`unexpected line: ${line}`);
      return { index: Number(match[1]), score: Number(match[2]) };
    });
}

function expectSharedWordsFirst(ranking: { index: number; score: number }[]) {
  expect(ranking).toHaveLength(EXAMPLE_RERANK_REQUEST.top_n);
  expect(ranking.map((result) => result.index).sort()).toEqual([0, 2]);
  expect(ranking.map((result) => result.index)).not.toContain(SOURDOUGH_INDEX);
  expect(ranking[0]!.score).toBeGreaterThanOrEqual(ranking[1]!.score);
  expect(ranking[1]!.score).toBeGreaterThan(0);
}

describe("the public API page's examples against the local server with model bm25", () => {
  it('curl', async () => {
    await using server = await startDefaultServer();
    const { stdout } = await run('/bin/sh', ['-c', sample('cURL', server.url)], {
      env: { PATH: process.env.PATH ?? '', SEALINK_API_KEY: API_KEY },
    });
    const body = JSON.parse(stdout);
    expect(
      checkRerankResponse(
        { ...EXAMPLE_RERANK_REQUEST, documents: [...EXAMPLE_RERANK_REQUEST.documents], model: 'bm25' },
        body,
      ),
    ).toEqual([]);
    expectSharedWordsFirst(
      body.results.map((result: { index: number; relevance_score: number }) => ({
        index: result.index,
        score: result.relevance_score,
      })),
    );
    // Every document scored: the sourdough one, sharing no word with the query, scores below both.
    const all = await fetch(`${server.url}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...EXAMPLE_RERANK_REQUEST, model: 'bm25', top_n: 3 }),
    });
    const ranked = (await all.json()).results as { index: number; relevance_score: number }[];
    expect(ranked[2]?.index).toBe(SOURDOUGH_INDEX);
    expect(ranked[2]!.relevance_score).toBeLessThan(ranked[1]!.relevance_score);
  });

  it('Python requests with /usr/bin/python3', async () => {
    await using server = await startDefaultServer();
    const { stdout } = await run('/usr/bin/python3', ['-c', sample('Python', server.url)], {
      env: { PATH: process.env.PATH ?? '', SEALINK_API_KEY: API_KEY },
    });
    expectSharedWordsFirst(printedRanking(stdout));
  });

  it('Node fetch', async () => {
    await using server = await startDefaultServer();
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', sample('Node.js', server.url)],
      {
        env: { PATH: process.env.PATH ?? '', SEALINK_API_KEY: API_KEY },
      },
    );
    expectSharedWordsFirst(printedRanking(stdout));
  });
});
