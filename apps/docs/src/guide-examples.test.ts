// The guides' code examples, run for real: each test does what a guide shows, with the same calls, and
// checks what the guide says happens. A renamed option or a changed behaviour fails here (or in the
// typecheck) before the docs can say something untrue.

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { SeaLink } from '@sealink/rerank-client';
import { EXAMPLE_RERANK_REQUEST } from '@sealink/rerank-contract';
import { startMockServer } from '@sealink/rerank-mock-server';
import { createModelRegistry, createServerFromConfig, loadServerConfig } from '@sealink/rerank-server-app';
import { describe, expect, it } from 'vitest';
import { renderConsoleContent } from './render-console-page.js';
import { SITE_PAGES } from './site-pages.js';

/** The markdown of every guide, by its file name. */
async function readGuides(): Promise<Map<string, string>> {
  const guides = new Map<string, string>();
  for (const page of SITE_PAGES) {
    if (page.guide === undefined) continue;
    guides.set(page.guide, await readFile(path.join(import.meta.dirname, 'guides', page.guide), 'utf8'));
  }
  return guides;
}

/** A CORS preflight for the console's `POST /v1/rerank`, as a browser on the docs site sends it. */
function preflight(baseUrl: string): Promise<Response> {
  return fetch(`${baseUrl}/v1/rerank`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://127.0.0.1:4000',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

describe('the mock server guide', () => {
  it('ranks the relevant document first, and the journal has the request', async () => {
    await using mock = await startMockServer({ port: 0, host: '127.0.0.1' });
    await using client = new SeaLink({ apiKey: 'test-key', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    const response = await client.rerank({
      model: 'qwen3-rerank',
      query: 'best API gateway for Qwen models',
      documents: ['A sourdough starter needs regular feeding.', 'One API gateway for Qwen rerank models.'],
    });
    expect(response.results[0]?.index).toBe(1);
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('answers queued faults in order, then normally again', async () => {
    await using mock = await startMockServer({ port: 0, host: '127.0.0.1' });
    mock.faults.enqueue({ kind: 'error', status: 429, retryAfter: '1' });
    mock.faults.enqueue({ kind: 'error', status: 503 });
    const send = () =>
      fetch(`${mock.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(EXAMPLE_RERANK_REQUEST),
      });
    const first = await send();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await first.json()) as unknown).toMatchObject({ error: { type: 'rate_limit_error' } });
    expect((await send()).status).toBe(503);
    expect((await send()).status).toBe(200);
  });

  it('applies a matching fault, a header fault, and forgets everything on clear()', async () => {
    await using mock = await startMockServer({ port: 0, host: '127.0.0.1' });
    mock.faults.when({ query: /timeout/ }, { kind: 'error', status: 504 });
    const send = (query: string, headers: Record<string, string> = {}) =>
      fetch(`${mock.url}/v1/rerank`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'qwen3-rerank', query, documents: ['a', 'b'] }),
      });
    expect((await send('a timeout please')).status).toBe(504);
    expect((await send('fine')).status).toBe(200);
    const headerFault = await send('fine', {
      'x-mock-fault': '{"kind":"error","status":503,"retryAfter":"2"}',
    });
    expect(headerFault.status).toBe(503);
    expect(headerFault.headers.get('retry-after')).toBe('2');
    expect(mock.requests.map((request) => request.body)).toEqual([
      { model: 'qwen3-rerank', query: 'a timeout please', documents: ['a', 'b'] },
      { model: 'qwen3-rerank', query: 'fine', documents: ['a', 'b'] },
      { model: 'qwen3-rerank', query: 'fine', documents: ['a', 'b'] },
    ]);
    mock.clear();
    expect(mock.requests).toHaveLength(0);
    expect((await send('a timeout please')).status).toBe(200);
  });
});

describe("the mock server guide's command line", () => {
  // The CLI starts through tsx from the sources: on a loaded two-core machine that alone took over 9 s, far
  // past vitest's default 5 s, so the test gets as long as the child process (30 s) and a margin.
  it('names every flag the mock CLI takes', { timeout: 60_000 }, async () => {
    const packageJson = createRequire(import.meta.url).resolve('@sealink/rerank-mock-server/package.json');
    const cli = path.join(path.dirname(packageJson), 'bin', 'sealink-rerank-mock.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--help'], { timeout: 30_000 });
    const flags = Array.from(stdout.matchAll(/^ {2}(--[a-z-]+)/gm), (match) => match[1]!).filter(
      (flag) => flag !== '--help',
    );
    expect(flags.length).toBeGreaterThan(10);
    const guide = (await readGuides()).get('mock-server.md') ?? '';
    const table = guide.slice(guide.indexOf('| Flag'));
    const documented = new Set(Array.from(table.matchAll(/`(--[a-z-]+)/g), (match) => match[1]!));
    expect(flags.filter((flag) => !documented.has(flag))).toEqual([]);
  });
});

describe('the quickstart', () => {
  it('builds a client for a local server that needs no key, with the options it names', async () => {
    await using client = new SeaLink({
      apiKey: null,
      baseURL: 'http://127.0.0.1:8080/v1',
      maxRetries: 2,
      timeout: 60_000,
    });
    expect(typeof client.rerank).toBe('function');
    expect(typeof client.rerankAll).toBe('function');
  });
});

describe('the running-the-server guide', () => {
  it('lists every Prometheus series the server registers, with its type and labels, and no other', async () => {
    const guide = (await readGuides()).get('running-the-server.md') ?? '';
    const rows = guide
      .split('\n')
      .filter((line) => /^\| `sealink_rerank_/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const listed = rows.map(([, name, type, labels]) => ({
      name: name!.replaceAll('`', ''),
      type: type!,
      labels: Array.from(labels!.matchAll(/`([^`]+)`/g), (match) => match[1]!),
    }));
    const server = createServerFromConfig(
      loadServerConfig({ env: { SEALINK_LOG_LEVEL: 'silent', SEALINK_PROCESS_METRICS: 'false' } }),
    );
    await server.stop();
    const registered = server.metrics.registry.getMetricsAsArray().map((metric) => ({
      name: metric.name,
      type: String(metric.type),
      labels: [...((metric as { labelNames?: readonly string[] }).labelNames ?? [])],
    }));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(listed.sort(byName)).toEqual(registered.sort(byName));
  });

  it('says that with prompt_template "qwen3" every engine type takes the instruction, whatever the dialect table says', async () => {
    const guide = (await readGuides()).get('running-the-server.md') ?? '';
    const engineTypes = ['tei', 'vllm', 'vllm-score', 'infinity'] as const;
    const supportsInstruction = (type: string, promptTemplate?: 'qwen3') =>
      createModelRegistry([
        {
          id: 'm',
          backend: {
            type,
            base_urls: ['http://127.0.0.1:9'],
            model: 'Qwen/Qwen3-Reranker-0.6B',
            ...(promptTemplate === undefined ? {} : { prompt_template: promptTemplate }),
          },
        } as Parameters<typeof createModelRegistry>[0][number],
      ]).list()[0]?.supports_instruction;
    for (const type of engineTypes) {
      expect([type, supportsInstruction(type, 'qwen3')]).toEqual([type, true]);
      expect([type, supportsInstruction(type)]).toEqual([type, false]);
    }
    // The dialect table says what each wire format carries (TEI and Infinity: none); the guide must not
    // leave a reader thinking a Qwen3-Reranker behind TEI or Infinity cannot follow an instruction.
    const note = guide.slice(guide.indexOf('### Upstream wire formats'), guide.indexOf('## Authentication'));
    expect(note).toMatch(/Instruction.{0,40} column/s);
    expect(note).toContain('`supports_instruction: true`');
    for (const type of ['tei', 'infinity']) expect(note).toContain(`\`${type}\``);
  });

  it("sends the console to your server through the mock's validating proxy, since the server answers no CORS preflight", async () => {
    const guides = await readGuides();
    const command = 'pnpm --filter @sealink/rerank-mock-server start --proxy http://127.0.0.1:8080';
    expect(guides.get('running-the-server.md')).toContain(`\n${command}\n`);
    // Every console link of the guides and of the console page names the proxy (the mock CLI's default
    // address), never the server app's own address, which a browser cannot call from this site.
    const texts = [...guides.values(), renderConsoleContent()];
    const consoleTargets = texts.flatMap((text) =>
      Array.from(text.matchAll(/console\.html\?base_url=([^)\s"'#]+)/g), (match) => match[1]),
    );
    expect(consoleTargets.length).toBeGreaterThan(0);
    for (const target of consoleTargets) expect(target).toBe('http://127.0.0.1:4010');

    const server = createServerFromConfig(
      loadServerConfig({ env: { PORT: '0', SEALINK_LOG_LEVEL: 'silent', SEALINK_PROCESS_METRICS: 'false' } }),
    );
    const running = await server.start();
    try {
      const direct = await preflight(running.url);
      expect(direct.headers.get('access-control-allow-origin')).toBeNull();

      await using proxy = await startMockServer({ port: 0, host: '127.0.0.1', proxy: { url: running.url } });
      const allowed = await preflight(proxy.url);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('*');
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      const answer = await fetch(`${proxy.url}/v1/rerank`, {
        method: 'POST',
        headers: { origin: 'http://127.0.0.1:4000', 'content-type': 'application/json' },
        body: JSON.stringify({ ...EXAMPLE_RERANK_REQUEST, model: 'bm25' }),
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(((await answer.json()) as { model: string }).model).toBe('bm25');
    } finally {
      await server.stop();
    }
  });
});
