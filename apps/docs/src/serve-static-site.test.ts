import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serveStaticSite } from './serve-static-site.js';

async function temporarySite(): Promise<AsyncDisposable & { root: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sealink-docs-serve-'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>Home</title>');
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
