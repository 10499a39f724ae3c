import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  EXAMPLE_RERANK_REQUEST,
  EXAMPLE_RERANK_RESPONSE_TEXT,
  rerankCodeSamples,
} from '@sealink/rerank-contract';
import { checkRerankResponse } from '@sealink/rerank-contract/testing';
import { startMockServer } from '@sealink/rerank-mock-server';
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

/** The JSON skeleton of a value: each object's keys in order with their skeletons, each array item's, each leaf's JSON type. */
function skeleton(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(skeleton);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([key, child]) => [key, skeleton(child)]);
  }
  return value === null ? 'null' : typeof value;
}

describe("the answer to the page's example request has the page's response fields, in its order, with its types", () => {
  // The page's answer; ours adds only `usage` (documented: the server and the mock always send it).
  const page = JSON.parse(EXAMPLE_RERANK_RESPONSE_TEXT) as Record<string, unknown>;
  const expected = skeleton({ ...page, usage: { total_tokens: 41 } });

  async function answerOf(baseUrl: string, model: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${baseUrl}/v1/rerank`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...EXAMPLE_RERANK_REQUEST, model }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
    return (await response.json()) as Record<string, unknown>;
  }

  function expectPageShape(answer: Record<string, unknown>, model: string) {
    expect(skeleton(answer)).toEqual(expected);
    expect(answer.id).toMatch(/^rerank-[0-9a-f]+$/);
    expect(answer.model).toBe(model);
    for (const result of answer.results as { index: number; relevance_score: number }[]) {
      expect(Number.isInteger(result.index)).toBe(true);
      expect(result.relevance_score).toBeGreaterThanOrEqual(0);
      expect(result.relevance_score).toBeLessThanOrEqual(1);
    }
  }

  it('from the server with model bm25', async () => {
    await using server = await startDefaultServer();
    expectPageShape(await answerOf(server.url, 'bm25'), 'bm25');
  });

  it("from the mock server with the page's model qwen3-rerank", async () => {
    await using mock = await startMockServer({ apiKeys: [API_KEY] });
    expectPageShape(await answerOf(mock.url, 'qwen3-rerank'), 'qwen3-rerank');
  });
});
