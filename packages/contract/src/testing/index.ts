export { checkRerankResponse } from '../check-rerank-response.js';
export {
  documentArbitrary,
  type InvalidRerankRequest,
  invalidRerankRequestArbitrary,
  junkBodyArbitrary,
  queryArbitrary,
  type RerankRequestArbitraryOptions,
  rerankRequestArbitrary,
  textArbitrary,
} from './arbitraries.js';
export { BAD_INPUT_CASES, type BadInputCase } from './bad-input-cases.js';
