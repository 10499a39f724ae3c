// A mock engine in a worker thread, so that its CPU (parsing, lexical scoring) runs beside the
// gateway's event loop as a real replica's would, not on it.
import { parentPort, workerData } from 'node:worker_threads';
import { type MockEngineOptions, startMockEngine } from '@sealink/rerank-mock-server';

const engine = await startMockEngine(workerData as MockEngineOptions);
parentPort?.postMessage({ url: engine.url });
parentPort?.on('message', async (message: unknown) => {
  if (message === 'close') {
    await engine.close();
    parentPort?.close();
  }
});
