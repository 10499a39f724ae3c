// Side A of the server-overhead benchmark: the full app (auth, validation, logging, metrics) with a
// constant-score backend. Prints its URL on stdout once it listens.
import {
  createLogDestination,
  createRerankApp,
  ModelRegistry,
  ServerMetrics,
  serveRerankApp,
} from '@sealink/rerank-server';
import { ConstantScoreBackend } from '@sealink/rerank-server/testing';
import { pino } from 'pino';
import { BENCH_API_KEY, BENCH_MODEL } from './bench-request.js';

const registry = new ModelRegistry([{ id: BENCH_MODEL, backend: new ConstantScoreBackend() }]);
await registry.load();
const app = createRerankApp({
  registry,
  auth: { apiKeys: [BENCH_API_KEY] },
  // Every request logs its line at info, through the CLI's own destination (`createLogDestination`), here
  // to /dev/null rather than stdout.
  logger: pino({ level: 'info' }, createLogDestination('/dev/null')),
  metrics: new ServerMetrics({ processMetrics: true }),
});
const server = await serveRerankApp(app);
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close({ drainTimeoutMs: 100 }).then(() => process.exit(0)));
