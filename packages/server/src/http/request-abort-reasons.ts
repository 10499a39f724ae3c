/** The abort reason of a request that ran past its deadline. */
export class RequestDeadlineError extends Error {
  /** The deadline, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`the request did not finish within its deadline of ${timeoutMs} ms`);
    this.name = 'RequestDeadlineError';
    this.timeoutMs = timeoutMs;
  }
}

/** The abort reason of a request whose client closed the connection before the answer. */
export class ClientDisconnectedError extends Error {
  constructor() {
    super('the client closed the connection before the answer');
    this.name = 'ClientDisconnectedError';
  }
}
