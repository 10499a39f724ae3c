/** An answer that the contract's HTTP server gave itself, before any app saw the request. */
export interface ContractServerAnswer {
  /** The HTTP status sent: 400 for malformed HTTP or a missing or repeated `Host`, 405 for `CONNECT`, ... */
  readonly status: number;
  /**
   * The contract error code of the answer: `malformed_http`, `headers_too_large`, `chunk_extensions_too_large`,
   * `request_receive_timeout`, `missing_host`, `duplicate_host` or `method_not_allowed`.
   */
  readonly code: string;
}

/**
 * Told of each {@link ContractServerAnswer} as it is written, for example to count it in metrics. Called
 * from Node's event handlers: `createContractHttpServer` ignores an error it throws, and writes the answer all the same.
 */
export type ContractServerAnswerObserver = (answer: ContractServerAnswer) => void;
