// Side B of the server-overhead benchmark: a raw node:http handler doing the same JSON work as the app
// (read the body, JSON.parse, validate with the contract, score with the same constant backend, build
// the response with the contract). Prints its URL on stdout once it listens.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildRerankResponse, createRequestId, validateRerankRequest } from '@sealink/rerank-contract';
import { ConstantScoreBackend } from '@sealink/rerank-server/testing';

const backend = new ConstantScoreBackend();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const requestId = createRequestId();
    const validation = validateRerankRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')), requestId);
    if (!validation.success) {
      response.writeHead(validation.error.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(validation.error.body));
      return;
    }
    const { request: rerank } = validation;
    const scored = await backend.doScore({ query: rerank.query, documents: rerank.documents });
    const body = buildRerankResponse({
      model: rerank.model,
      documents: rerank.documents,
      scores: scored.scores,
      topN: rerank.topN,
      returnDocuments: rerank.returnDocuments,
      totalTokens: scored.usage.tokens,
    });
    // Framed as the app frames its answers (Content-Length, not chunks), so both sides write alike.
    const text = JSON.stringify(body);
    response.writeHead(200, {
      'content-type': 'application/json',
      'x-request-id': requestId,
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
