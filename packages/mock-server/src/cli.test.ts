import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorResponse, RerankResponse } from '@sealink/rerank-contract';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { parseCliArguments } from './parse-cli-arguments.js';

const BIN = fileURLToPath(new URL('../bin/sealink-rerank-mock.mjs', import.meta.url));

/** Spawns the CLI and waits for the URL it prints; disposing it sends SIGTERM and waits for the exit. */
async function spawnCli(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then(([code]) =>
      reject(new Error(`the CLI exited with ${code} before listening: ${stderr}`)),
    );
  });
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const [code] = await exited;
    return code;
  };
  return {
    url,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

/**
 * Runs the CLI until it exits by itself (on a bad flag); its exit code and what it wrote to stderr. A CLI
 * that starts instead is killed after 15 s (exit code `null`), so the test fails rather than hangs.
 */
async function runCliToExit(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15_000,
    killSignal: 'SIGKILL',
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // 'close', not 'exit': at 'exit' the child's stderr may still hold data not yet read (Node's docs say its
  // stdio streams might still be open), and the test would match the usage against a partial message.
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

describe('sealink-rerank-mock CLI', () => {
  it('starts, prints its URL, serves the API with keys and queued faults, and exits 0 on SIGTERM', async () => {
    await using cli = await spawnCli([
      '--port',
      '0',
      '--api-key',
      'cli-key',
      '--model',
      'bm25',
      '--fault',
      '{"kind":"error","status":429,"retryAfter":"1"}',
    ]);
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const post = () =>
      request(`${cli.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer cli-key' },
        body: JSON.stringify({ model: 'bm25', query: 'gateway', documents: ['api gateway', 'bread'] }),
      });
    const limited = await post();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    await limited.body.dump();
    const answer = await post();
    expect(answer.statusCode).toBe(200);
    const ranked = RerankResponse.parse(await answer.body.json());
    expect(ranked.results.map((result) => result.index)).toEqual([0, 1]);
    const unauthorized = await request(`${cli.url}/v1/models`);
    expect(unauthorized.statusCode).toBe(401);
    expect(ErrorResponse.parse(await unauthorized.body.json()).error.code).toBe('invalid_api_key');
    const journal = await request(`${cli.url}/__mock/requests`);
    const { requests } = (await journal.body.json()) as { requests: { status: number }[] };
    expect(requests.map((entry) => entry.status)).toEqual([429, 200, 401]);
    expect(await cli.stop()).toBe(0);
  });

  it('exits with 2 and the usage on a bad flag', async () => {
    const { code, stderr } = await runCliToExit(['--fault', '{"kind":"nope"}']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--fault: Invalid mock fault/);
    expect(stderr).toMatch(/Usage: sealink-rerank-mock/);
  });

  it('exits with 2 and the usage on a flag value the server options refuse', async () => {
    const { code, stderr } = await runCliToExit(['--port', '0', '--max-documents', '5000']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--max-documents: maxDocuments must be an integer from 1 to 1000, got 5000/);
    expect(stderr).toMatch(/Usage: sealink-rerank-mock/);
  });

  it("exits with 2 on a --latency above Node's timer limit instead of answering without delay", async () => {
    const { code, stderr } = await runCliToExit(['--port', '0', '--latency', '3000000000']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--latency: latency must be at most 2147483647 ms/);
  });
});

describe('parseCliArguments', () => {
  it('maps every flag to the server options', () => {
    const command = parseCliArguments([
      '--port=4011',
      '--host',
      '0.0.0.0',
      '--api-key',
      'a',
      '--api-key',
      'b',
      '--latency',
      '20',
      '--latency-jitter',
      '5',
      '--seed',
      '7',
      '--max-documents',
      '50',
      '--always-fault',
      '{"kind":"empty"}',
      '--proxy',
      'http://127.0.0.1:9000',
      '--proxy-api-key',
      'up',
      '--errors',
    ]);
    expect(command.options).toMatchObject({
      port: 4011,
      host: '0.0.0.0',
      apiKeys: ['a', 'b'],
      latency: { ms: 20, jitterMs: 5 },
      seed: 7,
      maxDocuments: 50,
      proxy: { url: 'http://127.0.0.1:9000', apiKey: 'up', strict: true },
    });
    expect(command.alwaysFaults).toEqual([{ kind: 'empty' }]);
    expect(parseCliArguments([]).options.port).toBe(4010);
    expect(parseCliArguments(['--', '--port', '4012']).options.port).toBe(4012);
  });

  it('refuses bad values with a message that names the flag', () => {
    expect(() => parseCliArguments(['--port', 'abc'])).toThrow(/--port must be an integer/);
    expect(() => parseCliArguments(['--errors'])).toThrow(/need --proxy/);
    expect(() => parseCliArguments(['--proxy', 'not a url'])).toThrow(/--proxy must be a URL/);
    expect(() => parseCliArguments(['--wat'])).toThrow(/Unknown option/);
  });

  it('refuses, as a bad flag, the values the server options would refuse at start', () => {
    const refusal = (args: string[]) => {
      try {
        parseCliArguments(args);
        return undefined;
      } catch (error) {
        return { name: (error as Error).name, message: (error as Error).message };
      }
    };
    expect(refusal(['--max-documents', '5000'])).toEqual({
      name: 'CliArgumentError',
      message: '--max-documents: maxDocuments must be an integer from 1 to 1000, got 5000',
    });
    expect(refusal(['--api-key', 'a b'])).toEqual({
      name: 'CliArgumentError',
      message: '--api-key: apiKeys must be non-empty strings without white space',
    });
    expect(refusal(['--model', ''])).toEqual({
      name: 'CliArgumentError',
      message: '--model: models must be a non-empty list of non-empty model ids',
    });
    expect(refusal(['--max-body-bytes', '9007199254740993'])?.name).toBe('CliArgumentError');
    expect(refusal(['--request-timeout-ms', '0'])?.name).toBe('CliArgumentError');
    expect(parseCliArguments(['--request-timeout-ms', '2500']).options.requestTimeoutMs).toBe(2500);
    // Node runs a timer above 2^31 - 1 ms after 1 ms: every answer undelayed, every body timed out.
    expect(refusal(['--latency', '3000000000'])).toEqual({
      name: 'CliArgumentError',
      message:
        "--latency: latency must be at most 2147483647 ms, jitter included (Node's timer limit), got 3000000000",
    });
    expect(refusal(['--latency-jitter', '3000000000'])?.message).toMatch(
      /^--latency-jitter: latency must be at most/,
    );
    expect(refusal(['--latency', '2147483647', '--latency-jitter', '1'])?.message).toMatch(/jitter included/);
    expect(refusal(['--request-timeout-ms', '3000000000'])).toEqual({
      name: 'CliArgumentError',
      message:
        '--request-timeout-ms: requestTimeoutMs must be an integer from 1 to 2147483647, got 3000000000',
    });
    expect(parseCliArguments(['--latency', '2147483647']).options.latency).toEqual({
      ms: 2147483647,
      jitterMs: 0,
    });
    // A rule for every request: the first would always win, so a second is refused rather than ignored.
    expect(
      refusal(['--always-fault', '{"kind":"empty"}', '--always-fault', '{"kind":"hang"}'])?.message,
    ).toMatch(/^--always-fault may be given once/);
  });

  it('refuses a --fixed-responses file whose scores are not numbers, instead of ignoring or coercing them', () => {
    const folder = mkdtempSync(join(tmpdir(), 'sealink-mock-fixed-'));
    try {
      const fileWith = (score: unknown) => {
        const path = join(folder, 'fixed.json');
        writeFileSync(path, JSON.stringify([{ query: 'q', scores: { 'a document': score } }]));
        return path;
      };
      for (const score of [null, '', true, '0.9', [0.5]]) {
        expect(() => parseCliArguments(['--fixed-responses', fileWith(score)])).toThrow(
          /^--fixed-responses: fixed score .* of document "a document" is not a number in \[0, 1\]$/,
        );
      }
      expect(parseCliArguments(['--fixed-responses', fileWith(0.9)]).options.fixedResponses).toEqual([
        { query: 'q', scores: { 'a document': 0.9 } },
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
