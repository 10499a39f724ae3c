export {
  answerClientError,
  answerConnectRequest,
  clientErrorResponse,
  describeClientError,
  rawErrorResponse,
} from './answer-client-error.js';
export { answerMissingHost, unroutableRequestResponse } from './answer-unroutable-request.js';
export type {
  ContractServerAnswer,
  ContractServerAnswerObserver,
} from './contract-server-answer.js';
export {
  type ContractHttpServerOptions,
  createContractHttpServer,
} from './create-contract-http-server.js';
export { urlHost } from './url-host.js';
