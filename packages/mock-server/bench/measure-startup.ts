/**
 * Prints, as one JSON line, what it costs to start the mock in process: the time from the
 * `startMockServer()` call to listening, the RSS growth over it, and the import time of the package.
 * Run in its own process (by the bench) so the numbers are not mixed with the load generator's.
 */
const importStarted = performance.now();
const { startMockServer } = await import('../src/index.js');
const importMs = performance.now() - importStarted;

globalThis.gc?.();
const before = process.memoryUsage();
const started = performance.now();
const mock = await startMockServer();
const startMs = performance.now() - started;
globalThis.gc?.();
const after = process.memoryUsage();
await mock.close();
process.stdout.write(
  `${JSON.stringify({
    importMs,
    startMs,
    rssDeltaBytes: after.rss - before.rss,
    heapDeltaBytes: after.heapUsed - before.heapUsed,
    rssBytes: after.rss,
  })}\n`,
);
