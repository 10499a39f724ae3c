import type { IncomingMessage } from 'node:http';

/**
 * An answer that the contract's HTTP server gave itself: to a request no app saw, or (with `request`)
 * to one whose body broke after the app got it.
 */
export interface ContractServerAnswer {
  /** The HTTP status sent: 400 for malformed HTTP or a missing or repeated `Host`, 405 for `CONNECT`, ... */
  readonly status: number;
  /**
   * The contract error code of the answer: `malformed_http`, `headers_too_large`, `chunk_extensions_too_large`,
   * `request_receive_timeout`, `missing_host`, `duplicate_host` or `method_not_allowed`.
   */
  readonly code: string;
  /** The request id the answer carries, in `X-Request-Id` and in its body. */
  readonly requestId: string;
  /**
   * The request this answer ends when it had already been handed to the listener: its body broke (bad
   * chunked framing, the connection ended before the body did) while the listener read it, or before it
   * answered. The listener sees that request fail as well (its body read errors, its answer goes
   * nowhere), so an app that counts its own requests should count this one once, with this status and
   * request id, instead of counting it again. Absent for requests no listener saw.
   */
  readonly request?: IncomingMessage;
}

/**
 * Told of each {@link ContractServerAnswer} as it is written, for example to count it in metrics. Called
 * from Node's event handlers: `createContractHttpServer` ignores an error it throws, and writes the answer all the same.
 */
export type ContractServerAnswerObserver = (answer: ContractServerAnswer) => void;
