import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MAX_DOCUMENTS } from '@sealink/rerank-contract';
import { startMockEngine } from '@sealink/rerank-mock-server';
import { Bm25Backend, type EvaluationScorer, evaluateRanking, readBeirDataset } from '@sealink/rerank-server';
import {
  type BeirFolderContent,
  captureLogger,
  SMALL_BEIR_FOLDER,
  writeBeirFolder,
} from '@sealink/rerank-server/testing';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../config/load-server-config.js';
import { createServerFromConfig } from '../create-server-from-config.js';
import { EvaluationUsageError } from './evaluation-usage-error.js';
import type { EvaluationArguments } from './parse-evaluation-arguments.js';
import { runEvaluation } from './run-evaluation.js';

const API_KEY = 'sk-eval-test-key';
const APP_FOLDER = fileURLToPath(new URL('../../', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCIFACT_FOLDER = fileURLToPath(new URL('../../../../../shared/data/scifact', import.meta.url));
const quiet = { isTTY: false, write: () => true };

/** A non-terminal progress output that keeps what was written (the notes). */
function recordingOutput() {
  const written: string[] = [];
  return { written, output: { isTTY: false, write: (text: string) => written.push(text) } };
}

function modelsFile(models: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sealink-eval-models-')), 'models.json');
  writeFileSync(path, JSON.stringify(models));
  return path;
}

/**
 * 15 documents in three slices of 5 where slicing changes the ranking: over the whole corpus "zebra"
 * (5 documents) is rarer than "apple" (6), so z0 ranks first for "zebra apple"; in slices of 5, "zebra" is
 * in every document of the first slice while "apple" is in one document of the second, so a1 would.
 */
const SLICE_SENSITIVE_FOLDER: BeirFolderContent = {
  corpus: [
    { _id: 'z0', text: 'zebra zebra grass plains' },
    ...Array.from({ length: 4 }, (_, index) => ({
      _id: `z${index + 1}`,
      text: `zebra grass plains savanna${index}`,
    })),
    { _id: 'a1', text: 'apple orchard harvest autumn' },
    ...Array.from({ length: 4 }, (_, index) => ({
      _id: `r${index}`,
      text: `river stone bridge valley${index}`,
    })),
    ...Array.from({ length: 5 }, (_, index) => ({
      _id: `p${index}`,
      text: `apple pie kitchen oven${index}`,
    })),
  ],
  queries: [{ _id: 'q', text: 'zebra apple' }],
  qrels: { test: [['q', 'z0', 1]] },
};

function bm25Scorer(maxDocumentsPerCall: number): EvaluationScorer {
  const backend = new Bm25Backend({ maxDocumentsPerCall: 100 });
  return {
    maxDocumentsPerCall,
    score: async (query, documents) => (await backend.doScore({ query, documents })).scores,
  };
}

function evaluationArguments(overrides: Partial<EvaluationArguments>): EvaluationArguments {
  return {
    data: '',
    split: 'test',
    model: 'bm25',
    url: undefined,
    apiKey: undefined,
    config: undefined,
    limit: undefined,
    help: false,
    ...overrides,
  };
}

/** A real server with the default registry (the bm25 model), on a free loopback port. */
async function startServer() {
  const server = createServerFromConfig(loadServerConfig({ env: { PORT: '0', SEALINK_API_KEYS: API_KEY } }), {
    logger: captureLogger('warn').logger,
  });
  const running = await server.start();
  return { url: running.url, [Symbol.asyncDispose]: () => server.stop() };
}

const runCli = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCli(process.execPath, ['--import', 'tsx', 'src/eval/eval-cli.ts', ...args], {
    cwd: APP_FOLDER,
    env: { ...process.env, INIT_CWD: APP_FOLDER },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

/**
 * The CLI started with `args` in its own process, as {@link cli} runs it but with `extraEnv` added and
 * without waiting: `exited` settles when it exits, with its exit code and all it printed by then.
 */
function spawnCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/eval/eval-cli.ts', ...args], {
    cwd: APP_FOLDER,
    env: { ...process.env, INIT_CWD: APP_FOLDER, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, exited };
}

describe('runEvaluation', { timeout: 30_000 }, () => {
  it('ranks a small BEIR folder in process with the registry model', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const report = await runEvaluation(evaluationArguments({ data: folder.path }), {
      env: {},
      progress: quiet,
    });
    expect(report).toEqual({
      'ndcg@10': 1,
      'recall@100': 1,
      'mrr@10': 1,
      model: 'bm25',
      split: 'test',
      queries: 4,
      documents: 6,
      seconds: expect.any(Number),
    });
  });

  it("averages as BEIR does: a judged query without a relevant document is 0, the query's own id is not ranked", async () => {
    // BM25 ranks by distinct words. q1: the corpus holds q1 itself (both words), which BEIR ignores, so
    // d1 is first: 1 on every measure. q2: d3 first: 1. q3 is judged with grade 0 only: 0 on every
    // measure, and counted (BEIR's loader keeps it, pytrec_eval scores it). Mean: 2/3 each.
    await using folder = await writeBeirFolder({
      corpus: [
        { _id: 'q1', text: 'apple orchard' },
        { _id: 'd1', text: 'apple pie' },
        { _id: 'd2', text: 'zebra grass' },
        { _id: 'd3', text: 'kiwi jam' },
      ],
      queries: [
        { _id: 'q1', text: 'apple orchard' },
        { _id: 'q2', text: 'kiwi' },
        { _id: 'q3', text: 'mango' },
        { _id: 'q4', text: 'not judged' },
      ],
      qrels: {
        test: [
          ['q1', 'd1', 1],
          ['q2', 'd3', 1],
          ['q3', 'd2', 0],
        ],
      },
    });
    const report = await runEvaluation(evaluationArguments({ data: folder.path }), {
      env: {},
      progress: quiet,
    });
    expect(report).toMatchObject({
      'ndcg@10': 0.66667,
      'recall@100': 0.66667,
      'mrr@10': 0.66667,
      queries: 3,
      documents: 4,
    });
  });

  it('ends the progress line on a terminal when the run stops midway, so the error starts a line of its own', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const controller = new AbortController();
    const written: string[] = [];
    const terminal = {
      isTTY: true,
      write: (text: string) => {
        written.push(text);
        // Ctrl-C after the first query's bar.
        controller.abort(new Error('interrupted'));
        return true;
      },
    };
    await expect(
      runEvaluation(evaluationArguments({ data: folder.path }), {
        env: {},
        progress: terminal,
        abortSignal: controller.signal,
      }),
    ).rejects.toThrow('interrupted');
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\rbm25 on test \[.*\] 1\/4 /);
    expect(written[1]).toBe('\n');
  });

  it('stops reading the dataset on Ctrl-C instead of reading a large corpus to its end first', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    // 40,000 filler documents, then a malformed line: a read that went on to the end would fail on it.
    const filler = Array.from({ length: 40_000 }, (_, index) => `{"_id":"x${index}","text":"filler"}\n`);
    writeFileSync(join(folder.path, 'corpus.jsonl'), `${filler.join('')}not json\n`);
    const controller = new AbortController();
    const interrupted = new Error('interrupted');
    const running = runEvaluation(evaluationArguments({ data: folder.path }), {
      env: {},
      progress: quiet,
      abortSignal: controller.signal,
    });
    setImmediate(() => controller.abort(interrupted));
    await expect(running).rejects.toBe(interrupted);
  });

  it('ranks the whole corpus in one BM25 call (one IDF) even when the model takes fewer per call', async () => {
    await using folder = await writeBeirFolder(SLICE_SENSITIVE_FOLDER);
    const env = {
      SEALINK_MODELS_FILE: modelsFile([
        { id: 'bm25-small', backend: { type: 'bm25', options: { maxDocumentsPerCall: 5 } } },
      ]),
    };
    const { written, output } = recordingOutput();
    const report = await runEvaluation(evaluationArguments({ data: folder.path, model: 'bm25-small' }), {
      env,
      progress: output,
    });
    expect(written).toEqual([]);
    expect(report).toMatchObject({ 'ndcg@10': 1, 'mrr@10': 1, queries: 1, documents: 15 });

    const dataset = await readBeirDataset(folder.path, { split: 'test' });
    const oneCall = await evaluateRanking(dataset, bm25Scorer(15));
    expect(report['ndcg@10']).toBe(oneCall['ndcg@10']);
    // In slices of 5 (what the configured limit alone would give) z0 is second: the test tells them apart.
    const sliced = await evaluateRanking(dataset, bm25Scorer(5));
    expect(sliced['mrr@10']).toBe(0.5);
  });

  it('notes on stderr when an in-process upstream model takes the corpus in several calls', async () => {
    await using engine = await startMockEngine({ dialect: 'tei' });
    const documents = MAX_DOCUMENTS + 1;
    await using folder = await writeBeirFolder({
      corpus: Array.from({ length: documents }, (_, index) => ({
        _id: `d${index}`,
        text: index === 7 ? 'honey from the nectar of flowers' : `filler text number ${index}`,
      })),
      queries: [{ _id: 'q', text: 'honey nectar' }],
      qrels: { test: [['q', 'd7', 1]] },
    });
    const env = {
      SEALINK_MODELS_FILE: modelsFile([
        { id: 'tei-model', backend: { type: 'tei', base_urls: [engine.url], model: 'mock' } },
      ]),
    };
    const { written, output } = recordingOutput();
    const report = await runEvaluation(evaluationArguments({ data: folder.path, model: 'tei-model' }), {
      env,
      progress: output,
    });
    expect(written).toEqual([
      `note: tei-model takes ${MAX_DOCUMENTS} documents per call, so the ${documents} documents go in 2 calls per query, each scored on its own, and their scores are compared as they are.\n`,
    ]);
    expect(report).toMatchObject({ 'ndcg@10': 1, queries: 1, documents });
  });

  it('refuses a model the registry does not have, naming the ones it has', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const run = runEvaluation(evaluationArguments({ data: folder.path, model: 'nope' }), {
      env: {},
      progress: quiet,
    });
    await expect(run).rejects.toBeInstanceOf(EvaluationUsageError);
    await expect(run).rejects.toThrow('unknown model "nope"; the model registry has: bm25');
  });

  it('gives the same measures through a running server as in process', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    await using server = await startServer();
    const args = evaluationArguments({ data: folder.path, url: server.url, apiKey: API_KEY });
    const overHttp = await runEvaluation(args, { env: {}, progress: quiet });
    const inProcess = await runEvaluation(evaluationArguments({ data: folder.path }), {
      env: {},
      progress: quiet,
    });
    expect({ ...overHttp, seconds: 0 }).toEqual({ ...inProcess, seconds: 0 });
    await expect(runEvaluation({ ...args, model: 'nope' }, { env: {}, progress: quiet })).rejects.toThrow(
      /unknown model "nope" on http:\/\/127\.0\.0\.1:\d+/,
    );
    await expect(
      runEvaluation({ ...args, apiKey: 'sk-wrong' }, { env: {}, progress: quiet }),
    ).rejects.toThrow();
  });
});

/** Each case starts the command in a child process (tsx compiles it first: seconds on a busy machine). */
const CHILD_PROCESS_TIMEOUT_MS = 60_000;

describe('pnpm eval (the command)', { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  it('prints exactly one JSON object on stdout and nothing on a non-terminal stderr', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const { code, stdout, stderr } = await cli([
      '--',
      '--data',
      folder.path,
      '--split',
      'test',
      '--model',
      'bm25',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      ['documents', 'model', 'mrr@10', 'ndcg@10', 'queries', 'recall@100', 'seconds', 'split'].sort(),
    );
    expect(report).toMatchObject({ 'ndcg@10': 1, queries: 4, documents: 6, model: 'bm25', split: 'test' });
  });

  it('prints exactly one JSON object on stdout when run as `pnpm eval` from the repository root', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    // A relative --data is read from where `pnpm eval` runs (the root), not from the app's folder.
    const { stdout } = await runCli(
      'pnpm',
      ['eval', '--data', relative(REPO_ROOT, folder.path), '--split', 'test', '--model', 'bm25'],
      { cwd: REPO_ROOT },
    );
    expect(stdout.endsWith('}\n')).toBe(true);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({
      'ndcg@10': 1,
      queries: 4,
      documents: 6,
      model: 'bm25',
      split: 'test',
    });
  });

  it('runs in the image (NODE_ENV=production, no API keys: it serves nothing) and reads a relative SEALINK_MODELS_FILE from INIT_CWD', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const modelsFolder = mkdtempSync(join(tmpdir(), 'sealink-eval-cwd-'));
    writeFileSync(
      join(modelsFolder, 'models.json'),
      JSON.stringify([{ id: 'bm25-here', backend: { type: 'bm25' } }]),
    );
    // `pnpm eval` runs inside apps/server with INIT_CWD set to the folder it was started in, and
    // npm_package_name to this package's name.
    const { stdout } = await runCli(
      process.execPath,
      ['--import', 'tsx', 'src/eval/eval-cli.ts', '--data', folder.path, '--model', 'bm25-here'],
      {
        cwd: APP_FOLDER,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          INIT_CWD: modelsFolder,
          npm_package_name: '@sealink/rerank-server-app',
          SEALINK_MODELS_FILE: './models.json',
        },
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ 'ndcg@10': 1, queries: 4, model: 'bm25-here' });
  });

  it('on Ctrl-C in process (an upstream engine still computing) prints `eval: interrupted` alone and exits 130', async () => {
    // An engine that takes a minute per request: the run waits on it when the SIGINT arrives.
    await using engine = await startMockEngine({ dialect: 'tei', latencyMs: 60_000 });
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const { child, exited } = spawnCli(['--data', folder.path, '--model', 'slow'], {
      SEALINK_MODELS_FILE: modelsFile([
        { id: 'slow', backend: { type: 'tei', base_urls: [engine.url], model: 'mock' } },
      ]),
    });
    let running = true;
    void exited.then(() => {
      running = false;
    });
    // Until the first rerank request reaches the engine (or the child stops before: the assertion shows why).
    const deadline = Date.now() + 30_000;
    while (running && Date.now() < deadline && !engine.requests.some((entry) => entry.path === '/rerank')) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 130, stdout: '', stderr: 'eval: interrupted\n' });
  });

  it('on Ctrl-C under `pnpm eval` (SIGINT, then the SIGTERM pnpm passes on) still prints `eval: interrupted` alone and exits 130; on SIGTERM alone, 143', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', latencyMs: 60_000 });
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const env = {
      SEALINK_MODELS_FILE: modelsFile([
        { id: 'slow', backend: { type: 'tei', base_urls: [engine.url], model: 'mock' } },
      ]),
    };
    for (const [signals, code] of [
      [['SIGINT', 'SIGTERM'], 130],
      [['SIGTERM'], 143],
    ] as const) {
      const before = engine.requests.filter((entry) => entry.path === '/rerank').length;
      const { child, exited } = spawnCli(['--data', folder.path, '--model', 'slow'], env);
      await expect
        .poll(() => engine.requests.filter((entry) => entry.path === '/rerank').length, { timeout: 30_000 })
        .toBeGreaterThan(before);
      for (const [index, signal] of signals.entries()) {
        // pnpm passes SIGTERM on once it has had the terminal's SIGINT itself, so after the child had its
        // own. Sent back to back, two signals can reach Node's threads and be handled in either order.
        if (index > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        child.kill(signal);
      }
      expect({ signals, ...(await exited) }).toEqual({
        signals,
        code,
        stdout: '',
        stderr: 'eval: interrupted\n',
      });
    }
  });

  it('stops when SIGTERM is sent to the `pnpm eval` process alone (a process manager), leaving no process behind', async () => {
    await using engine = await startMockEngine({ dialect: 'tei', latencyMs: 60_000 });
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    // Its own process group, so that the signal reaches pnpm only and the group can be watched.
    const pnpm = spawn('pnpm', ['eval', '--data', folder.path, '--model', 'slow'], {
      cwd: REPO_ROOT,
      detached: true,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        SEALINK_MODELS_FILE: modelsFile([
          { id: 'slow', backend: { type: 'tei', base_urls: [engine.url], model: 'mock' } },
        ]),
      },
      stdio: 'ignore',
    });
    const groupAlive = () => {
      try {
        process.kill(-pnpm.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      await expect
        .poll(() => engine.requests.some((entry) => entry.path === '/rerank'), { timeout: 30_000 })
        .toBe(true);
      pnpm.kill('SIGTERM');
      await expect.poll(groupAlive, { timeout: 10_000 }).toBe(false);
    } finally {
      if (groupAlive()) process.kill(-pnpm.pid!, 'SIGKILL');
    }
  }, 60_000);

  it('on Ctrl-C through a server prints `eval: interrupted` alone, as in process, and exits 130 (128 + SIGINT)', async () => {
    // A server that knows the model and never answers a rerank request: the run waits on it when the
    // SIGINT arrives.
    let rerankArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      rerankArrived = resolve;
    });
    const server = createServer((request, response) => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'bm25',
            object: 'model',
            created: 0,
            owned_by: 'sealink',
            max_documents: 1000,
            context_length: 32768,
            supports_instruction: false,
          }),
        );
        return;
      }
      request.resume();
      rerankArrived();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    try {
      const { child, exited } = spawnCli([
        '--data',
        folder.path,
        '--url',
        `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ]);
      // Or the child's exit, should it stop before asking (the assertion then shows why).
      await Promise.race([arrived, exited]);
      child.kill('SIGINT');
      // 130 as a shell reports a command Ctrl-C stopped, so a script tells an interrupt from a failed run (1).
      expect(await exited).toEqual({ code: 130, stdout: '', stderr: 'eval: interrupted\n' });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('exits 1 with one clear line for a missing folder or split', async () => {
    const missing = await cli(['--data', '/nonexistent/beir']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'eval: /nonexistent/beir: no such folder; expected a BEIR folder with corpus.jsonl, queries.jsonl and qrels/\n',
    );
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const badSplit = await cli(['--data', folder.path, '--split', 'train']);
    expect(badSplit.code).toBe(1);
    expect(badSplit.stderr).toMatch(/no split "train"; splits here: test\n$/);
  });

  it('exits 2 with the usage for an unknown model', async () => {
    await using folder = await writeBeirFolder(SMALL_BEIR_FOLDER);
    const unknown = await cli(['--data', folder.path, '--model', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      /^eval: unknown model "nope"; the model registry has: bm25\n\nUsage: pnpm eval/,
    );
  });
});

describe('runEvaluation on a bad BEIR folder', { timeout: CHILD_PROCESS_TIMEOUT_MS }, () => {
  const corpus = [
    { _id: 'd1', text: 'apple pie' },
    { _id: 'd2', text: 'zebra grass' },
  ];
  const queries = [
    { _id: 'q1', text: 'apple' },
    { _id: 'q2', text: 'zebra' },
  ];
  const withJudgements = (...test: [string, string, number][]): BeirFolderContent => ({
    corpus,
    queries,
    qrels: { test },
  });
  const evaluate = async (content: BeirFolderContent, limit?: number) => {
    await using folder = await writeBeirFolder(content);
    return await runEvaluation(evaluationArguments({ data: folder.path, limit }), {
      env: {},
      progress: quiet,
    });
  };

  it.each([
    [
      'a judgement of a corpus id the corpus lacks',
      withJudgements(['q1', 'd1', 1], ['q1', 'dX', 1]),
      /qrels\/test\.tsv: judges corpus id "dX" \(for query "q1"\), which corpus\.jsonl does not have$/,
    ],
    [
      'a judgement of a query id queries.jsonl lacks',
      withJudgements(['q1', 'd1', 1], ['qX', 'd2', 1]),
      /qrels\/test\.tsv: judges query id "qX", which queries\.jsonl does not have$/,
    ],
    [
      'a split with no judgement',
      withJudgements(),
      /qrels\/test\.tsv: the split "test" has no query with a relevant document/,
    ],
    [
      'a split whose judgements are all 0',
      withJudgements(['q1', 'd1', 0]),
      /the split "test" has no query with a relevant document/,
    ],
    [
      'a judged query without text',
      { ...withJudgements(['q1', 'd1', 1]), queries: [{ _id: 'q1', text: '  ' }] },
      /queries\.jsonl: query "q1" has no text; the split judges it$/,
    ],
    [
      'an empty corpus',
      { ...withJudgements(['q1', 'd1', 1]), corpus: [] },
      /corpus\.jsonl: has no document$/,
    ],
    [
      'a query id twice',
      { ...withJudgements(['q1', 'd1', 1]), queries: [...queries, { _id: 'q1', text: 'pie' }] },
      /queries\.jsonl: duplicate query id "q1"$/,
    ],
  ] as const)('refuses %s', async (_, content, message) => {
    await expect(evaluate(content as BeirFolderContent)).rejects.toThrow(message);
  });

  it('checks the whole split even with --limit', async () => {
    await expect(evaluate(withJudgements(['q1', 'd1', 1], ['q2', 'dX', 1]), 1)).rejects.toThrow(
      /judges corpus id "dX"/,
    );
    const report = await evaluate(withJudgements(['q1', 'd1', 1], ['q2', 'd2', 1]), 1);
    expect(report.queries).toBe(1);
  });

  it('reads files with a byte order mark and CRLF line ends as the plain ones', async () => {
    await using folder = await writeBeirFolder(withJudgements(['q1', 'd1', 1], ['q2', 'd2', 1]));
    const plain = await runEvaluation(evaluationArguments({ data: folder.path }), {
      env: {},
      progress: quiet,
    });
    for (const file of ['corpus.jsonl', 'queries.jsonl', join('qrels', 'test.tsv')]) {
      const path = join(folder.path, file);
      writeFileSync(path, `\ufeff${readFileSync(path, 'utf8').replaceAll('\n', '\r\n')}`);
    }
    const windows = await runEvaluation(evaluationArguments({ data: folder.path }), {
      env: {},
      progress: quiet,
    });
    expect({ ...windows, seconds: 0 }).toEqual({ ...plain, seconds: 0 });
    expect(windows.queries).toBe(2);
  });

  it('exits 1 with one line and no JSON for a split with nothing to measure', async () => {
    await using folder = await writeBeirFolder(withJudgements());
    const run = await cli(['--data', folder.path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^eval: .*the split "test" has no query with a relevant document[^\n]*\n$/);
  });
});

const scifactPresent = existsSync(SCIFACT_FOLDER);
if (!scifactPresent) {
  console.warn(
    `Skipping the SciFact quality test: no BEIR folder at ${SCIFACT_FOLDER} (the shared data set is optional).`,
  );
}

describe.skipIf(!scifactPresent)(
  'BM25 quality on SciFact (needs ../shared/data/scifact)',
  { timeout: 120_000 },
  () => {
    it('reaches nDCG@10 above 0.5 on the first 50 train queries', async () => {
      const report = await runEvaluation(
        evaluationArguments({ data: SCIFACT_FOLDER, split: 'train', limit: 50 }),
        {
          env: {},
          progress: quiet,
        },
      );
      expect(report.queries).toBe(50);
      expect(report.documents).toBe(5183);
      // Measured 0.583 (0.698 on all 809 train queries; the BEIR paper's BM25 has 0.665 on the test split).
      expect(report['ndcg@10']).toBeGreaterThan(0.5);
      expect(report['recall@100']).toBeGreaterThan(0.8);
    });
  },
);
