// A minimal node:http server for the client benchmark: reads each request body and answers the fixed
// JSON given in FIXED_RESPONSE_JSON, with keep-alive. It prints its port on stdout once listening.
import { createServer } from 'node:http';

const body = Buffer.from(process.env.FIXED_RESPONSE_JSON ?? '{}');
let served = 0;
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    served++;
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      'x-request-id': `req_${served.toString(16).padStart(20, '0')}`,
    });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
