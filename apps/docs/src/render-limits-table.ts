import {
  bodyTooLargeError,
  DEFAULT_MAX_BODY_BYTES,
  type ErrorAnswer,
  EXAMPLE_RERANK_REQUEST,
  MAX_DOCUMENT_LENGTH,
  MAX_DOCUMENTS,
  MAX_INSTRUCTION_LENGTH,
  MAX_MODEL_ID_LENGTH,
  MAX_QUERY_LENGTH,
  validateRerankRequest,
} from '@sealink/rerank-contract';
import { markdownInlineCode, markdownTable, markdownTableCell, markdownText } from './markdown-table.js';

/** One limit of the contract, as the docs list it. */
export interface ContractLimit {
  /** What is limited, as markdown. */
  subject: string;
  /** The limit's value. */
  value: number;
  /** The unit of the value. */
  unit: string;
  /** The contract's answer to a request just over the limit. */
  answer: () => ErrorAnswer;
}

const DOCS_REQUEST_ID = 'req_docs';

/** The contract's validation answer for the example request with some fields changed. */
function answerToExampleWith(changes: Record<string, unknown>): ErrorAnswer {
  const validation = validateRerankRequest({ ...EXAMPLE_RERANK_REQUEST, ...changes }, DOCS_REQUEST_ID);
  if (validation.success) {
    throw new Error(`The contract accepted a request over a limit: ${Object.keys(changes).join(', ')}`);
  }
  return validation.error;
}

/** The contract's limits on one rerank request, from its constants, each with the contract's own answer. */
export const CONTRACT_LIMITS: readonly ContractLimit[] = [
  {
    subject: '`documents` per request',
    value: MAX_DOCUMENTS,
    unit: 'documents',
    answer: () => answerToExampleWith({ documents: Array.from({ length: MAX_DOCUMENTS + 1 }, () => 'x') }),
  },
  {
    subject: 'One document',
    value: MAX_DOCUMENT_LENGTH,
    unit: 'characters',
    answer: () => answerToExampleWith({ documents: ['x'.repeat(MAX_DOCUMENT_LENGTH + 1)] }),
  },
  {
    subject: '`query`',
    value: MAX_QUERY_LENGTH,
    unit: 'characters',
    answer: () => answerToExampleWith({ query: 'x'.repeat(MAX_QUERY_LENGTH + 1) }),
  },
  {
    subject: '`instruction`',
    value: MAX_INSTRUCTION_LENGTH,
    unit: 'characters',
    answer: () => answerToExampleWith({ instruction: 'x'.repeat(MAX_INSTRUCTION_LENGTH + 1) }),
  },
  {
    subject: '`model` id',
    value: MAX_MODEL_ID_LENGTH,
    unit: 'characters',
    answer: () => answerToExampleWith({ model: 'x'.repeat(MAX_MODEL_ID_LENGTH + 1) }),
  },
  {
    subject: 'Request body (the default; a server may set its own)',
    value: DEFAULT_MAX_BODY_BYTES,
    unit: 'bytes',
    answer: () => bodyTooLargeError(DEFAULT_MAX_BODY_BYTES, DOCS_REQUEST_ID),
  },
];

/**
 * The contract's limits as a markdown table: the value (grouped by thousands) and the status, `type`,
 * `param` and `message` that the contract answers to a request just over the limit.
 */
export function renderLimitsTable(limits: readonly ContractLimit[] = CONTRACT_LIMITS): string {
  const rows = limits.map((limit) => {
    const answer = limit.answer();
    const { error } = answer.body;
    return [
      limit.subject,
      `${limit.value.toLocaleString('en-US')} ${limit.unit}`,
      `${answer.status} ${markdownInlineCode(error.type)}`,
      error.param === undefined ? '' : markdownTableCell(markdownInlineCode(error.param)),
      markdownText(error.message),
    ];
  });
  return markdownTable(['Limit', 'Value', 'Answer when exceeded', '`param`', '`message`'], rows);
}
