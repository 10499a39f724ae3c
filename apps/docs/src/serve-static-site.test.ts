import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serveStaticSite } from './serve-static-site.js';

const HOME_PAGE = '<!doctype html><title>Home</title>';

async function temporarySite(): Promise<AsyncDisposable & { root: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-serve-'));
  await writeFile(path.join(root, 'index.html'), HOME_PAGE);
  await writeFile(path.join(root, 'openapi.json'), '{"openapi":"3.1.0"}');
  await writeFile(path.join(root, '.secret'), 'hidden');
  return { root, [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }) };
}

describe('serveStaticSite', () => {
  it('serves the files of a folder with their content types, and index.html for the folder', async () => {
    await using site = await temporarySite();
    await using server = await serveStaticSite({ root: site.root, port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    expect(await home.text()).toContain('<title>Home</title>');
    const spec = await fetch(new URL('openapi.json', server.url));
    expect(spec.headers.get('content-type')).toContain('application/json');
    expect(await spec.json()).toEqual({ openapi: '3.1.0' });
  });

  it('answers 404 for missing files, dot files and paths out of the folder', async () => {
    await using site = await temporarySite();
    await using server = await serveStaticSite({ root: site.root, port: 0 });
    for (const missing of ['missing.html', '.secret', '..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd']) {
      const response = await fetch(`${server.url}${missing}`);
      expect(response.status, missing).toBe(404);
      expect(await response.text()).toBe('Not found\n');
    }
  });

  it('never answers a junk path with a 5xx', async () => {
    await using site = await temporarySite();
    await using server = await serveStaticSite({ root: site.root, port: 0 });
    await fc.assert(
      fc.asyncProperty(fc.webPath(), fc.string({ maxLength: 30 }), async (webPath, junk) => {
        const response = await fetch(`${server.url}${webPath.replace(/^\//, '')}${encodeURIComponent(junk)}`);
        await response.arrayBuffer();
        expect([200, 404]).toContain(response.status);
      }),
      { numRuns: 60 },
    );
  });

  it('closes once, whether closed by hand or by await using', async () => {
    await using site = await temporarySite();
    const server = await serveStaticSite({ root: site.root, port: 0 });
    await server.close();
    await server[Symbol.asyncDispose]();
    await expect(fetch(server.url)).rejects.toThrow();
  });
});

/** An answer read off a raw socket: the final status line's code, the head's headers and the body. */
interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

/** How long a raw exchange may take before it counts as a hang. */
const SOCKET_TIMEOUT_MS = 5_000;

/**
 * Writes `bytes` to the server on a new connection and reads until the server closes it (the requests
 * say `Connection: close`). Fails on a socket quiet for {@link SOCKET_TIMEOUT_MS} (a hang) and on a
 * connection closed with no status line (a crash or a dropped request).
 */
function exchange(url: string, bytes: Buffer): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.setTimeout(SOCKET_TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`no answer within ${SOCKET_TIMEOUT_MS} ms (a hang)`));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer is read is fine; the answer is checked when the socket closes.
    socket.on('error', () => {});
    socket.on('close', () => {
      let data = Buffer.concat(chunks);
      // Interim 1xx answers (100 Continue for an `Expect`) come before the final one.
      for (;;) {
        const head = /^HTTP\/1\.[01] 1\d\d [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(data.toString('latin1'));
        if (head === null) break;
        data = data.subarray(head[0].length);
      }
      const text = data.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const statusLine = /^HTTP\/1\.[01] (\d{3})[^\r\n]*/.exec(text);
      if (statusLine === null || headEnd === -1) {
        reject(new Error(`the connection closed without an answer: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const headers = new Map<string, string>();
      for (const line of text.slice(statusLine[0].length + 2, headEnd).split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      resolve({ status: Number(statusLine[1]), headers, body: data.subarray(headEnd + 4) });
    });
  });
}

const PRINTABLE = fc.mapToConstant({
  num: 0x7e - 0x21 + 1,
  build: (offset) => String.fromCharCode(0x21 + offset),
});
const HEADER_VALUE_CHARACTER = fc.oneof(
  { weight: 8, arbitrary: PRINTABLE },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\t') },
  // obs-text: bytes past ASCII, allowed in a header value.
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((byte) => String.fromCharCode(byte)) },
);
const KNOWN_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'];
const methodArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('GET', 'HEAD') },
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN_METHODS) },
  { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'PURGE', 'SEARCH', 'MKCOL', 'LOCK', 'get', 'Get') },
  // Unknown tokens, which Node's parser refuses with 400.
  { weight: 1, arbitrary: fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,16}$/) },
);
const percentByte = fc.integer({ min: 0, max: 255 }).map((byte) => `%${byte.toString(16).padStart(2, '0')}`);
const pathArbitrary = fc.oneof(
  // The site's files, where sirv answers (and reads Range).
  {
    weight: 4,
    arbitrary: fc.constantFrom('/', '/index.html', '/index', '/openapi.json', '/?x=1', '/index.html#top'),
  },
  fc.webPath().map((webPath) => (webPath.startsWith('/') ? webPath : `/${webPath}`)),
  // Dot segments, plain and encoded, towards the site's files and out of its folder.
  fc
    .tuple(
      fc.array(fc.constantFrom('.', '..', '%2e', '%2E%2e', '%2e%2e%2f', 'a', '', '%2f', '\\..'), {
        maxLength: 8,
      }),
      fc.constantFrom('index.html', 'openapi.json', '.secret', '', 'etc/passwd'),
    )
    .map(([segments, file]) => `/${[...segments, file].join('/')}`),
  // Percent-encoding: any byte, malformed escapes, raw text.
  fc
    .array(
      fc.oneof(
        percentByte,
        fc.constantFrom('%', '%z', '%G0', '%%', '%0', '%c0%af', '%ff%fe', '%00', '/'),
        fc.string({ unit: PRINTABLE, maxLength: 8 }),
      ),
      { maxLength: 20 },
    )
    .map((parts) => `/${parts.join('')}`),
  // Very long: within and past Node's 16 KiB limit on the head.
  fc
    .tuple(fc.integer({ min: 1_000, max: 40_000 }), fc.constantFrom('a', '../', '%2e%2e/', '/', '%41'))
    .map(([length, unit]) => `/${unit.repeat(Math.ceil(length / unit.length))}`),
  fc.constantFrom(
    '*',
    'http://127.0.0.1/index.html',
    '//index.html',
    '/?',
    '/#x',
    '/index.html?x=%zz',
    '/index.html#',
  ),
);
const rangeArbitrary = fc.oneof(
  fc.constantFrom(
    'bytes=0-0',
    'bytes=5-2',
    'bytes=-5',
    'bytes=abc',
    'bytes=0-',
    'bytes=',
    'bytes=1-2,3-4',
    'bytes=0-99999999999999999999',
    'bytes=99999999999999999999-',
    'bytes=--3',
    'bytes=3-1e3',
    'bytes=0x10-',
    'items=0-1',
    'BYTES=0-1',
  ),
  fc
    .tuple(fc.option(fc.nat(100), { freq: 8 }), fc.option(fc.nat(100), { freq: 8 }))
    .map(([first, last]) => `bytes=${first ?? ''}-${last ?? ''}`),
  fc.string({ unit: HEADER_VALUE_CHARACTER, maxLength: 30 }),
);
/** Header names the exchange sets itself (`Host`, `Connection`, the body's length) are left out. */
const RESERVED_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'upgrade']);
const headerArbitrary = fc.oneof(
  { weight: 1, arbitrary: rangeArbitrary.map((value) => ['Range', value] as const) },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constantFrom(
        'If-None-Match',
        'If-Range',
        'Accept-Encoding',
        'Expect',
        'If-Modified-Since',
        'Accept',
      ),
      fc.oneof(
        fc.constantFrom('*', 'gzip, br', '100-continue', 'W/"35-0"', 'bytes'),
        fc.string({ unit: HEADER_VALUE_CHARACTER, maxLength: 30 }),
      ),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc
        .stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/)
        .filter((name) => !RESERVED_HEADERS.has(name.toLowerCase())),
      fc.string({ unit: HEADER_VALUE_CHARACTER, maxLength: 60 }),
    ),
  },
);
const requestArbitrary = fc.record({
  method: methodArbitrary,
  path: pathArbitrary,
  range: fc.option(rangeArbitrary, { freq: 4, nil: undefined }),
  headers: fc.array(headerArbitrary, { maxLength: 6 }),
  body: fc.option(fc.uint8Array({ maxLength: 512 }), { nil: undefined }),
});

describe('serveStaticSite over a raw socket', () => {
  it('answers GET and HEAD only, with 405 and Allow for the other methods, CONNECT included', async () => {
    await using site = await temporarySite();
    await using server = await serveStaticSite({ root: site.root, port: 0 });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT']) {
      for (const target of ['/', '/index.html', '/missing']) {
        const answer = await exchange(
          server.url,
          Buffer.from(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`),
        );
        expect(answer.status, `${method} ${target}`).toBe(405);
        expect(answer.headers.get('allow'), `${method} ${target}`).toBe('GET, HEAD');
      }
    }
  });

  it('serves a valid single byte range with 206 and exactly its bytes, and the whole file for any other Range', async () => {
    await using site = await temporarySite();
    await using server = await serveStaticSite({ root: site.root, port: 0 });
    const get = (range: string) =>
      exchange(
        server.url,
        Buffer.from(
          `GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: ${range}\r\nConnection: close\r\n\r\n`,
        ),
      );
    const size = HOME_PAGE.length;
    for (const [range, first, last] of [
      ['bytes=0-4', 0, 4],
      ['bytes=2-', 2, size - 1],
      ['bytes=3-3', 3, 3],
      [`bytes=5-${size + 100}`, 5, size - 1],
    ] as const) {
      const answer = await get(range);
      expect(answer.status, range).toBe(206);
      expect(answer.headers.get('content-range'), range).toBe(`bytes ${first}-${last}/${size}`);
      expect(answer.body.toString(), range).toBe(HOME_PAGE.slice(first, last + 1));
    }
    expect((await get(`bytes=${size}-`)).status).toBe(416);
    // Ranges sirv would get wrong or crash on are ignored, as a server may (RFC 9110, section 14.2).
    for (const range of [
      'bytes=5-2',
      'bytes=3-99999999999999999999',
      'bytes=abc',
      'bytes=-5',
      'bytes=0-0',
      'bytes=0-1,3-4',
    ]) {
      const answer = await get(range);
      expect(answer.status, range).toBe(200);
      expect(answer.body.toString(), range).toBe(HOME_PAGE);
    }
  });

  it('property: any method, path and headers get an answer under 500, and the server answers afterwards', async () => {
    await using site = await temporarySite();
    await using server = await serveStaticSite({ root: site.root, port: 0 });
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async ({ method, path: target, range, headers, body }) => {
        const head = [
          `${method} ${target} HTTP/1.1`,
          'Host: 127.0.0.1',
          ...(range === undefined ? [] : [`Range: ${range}`]),
          ...headers.map(([name, value]) => `${name}: ${value}`),
          ...(body === undefined ? [] : [`Content-Length: ${body.byteLength}`]),
          'Connection: close',
        ].join('\r\n');
        const answer = await exchange(
          server.url,
          Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body ?? new Uint8Array()]),
        );
        const label = `${method} ${target.slice(0, 200)} ${JSON.stringify({ range, headers })} -> ${answer.status}`;
        expect(answer.status, label).toBeGreaterThanOrEqual(200);
        expect(answer.status, label).toBeLessThan(500);
        if (method !== 'GET' && method !== 'HEAD') expect(answer.status, label).toBeGreaterThanOrEqual(400);
        if (answer.status === 206) {
          const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(answer.headers.get('content-range') ?? '');
          expect(range, label).not.toBeNull();
          const [first, last, size] = range!.slice(1).map(Number) as [number, number, number];
          expect(first, label).toBeLessThanOrEqual(last);
          expect(last, label).toBeLessThan(size);
          expect(Number(answer.headers.get('content-length')), label).toBe(last - first + 1);
          if (method === 'GET') expect(answer.body.byteLength, label).toBe(last - first + 1);
        }
        // Still up: a crash or a wedged server fails here.
        const after = await exchange(
          server.url,
          Buffer.from('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
        );
        expect(after.status, label).toBe(200);
        expect(after.body.toString(), label).toBe(HOME_PAGE);
      }),
      { numRuns: 250 },
    );
  }, 60_000);
});
