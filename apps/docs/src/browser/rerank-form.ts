/** What the try-it console's form holds, as the user typed it. */
export interface RerankFormFields {
  /** The model id. */
  model: string;
  /** The query. */
  query: string;
  /** The documents, one per line. */
  documents: string;
  /** `top_n` as typed; empty means "all". */
  topN: string;
  /** Whether results carry the document text. */
  returnDocuments: boolean;
  /** An optional instruction; empty means none. */
  instruction: string;
}

/** The JSON body the console sends to `POST /v1/rerank`. */
export interface RerankRequestBody {
  model: string;
  query: string;
  documents: string[];
  top_n?: number | string;
  return_documents: boolean;
  instruction?: string;
}

/**
 * Turns the form into the request body: one document per non-blank line (blank lines are skipped), `top_n`
 * as a number when it is one and omitted when empty, `instruction` omitted when empty. Nothing else is
 * checked here: the server validates and its error answer is what the console shows, as a real client
 * would see it. (A `top_n` that is not a number is sent as typed, so the server says what is wrong.)
 */
export function buildRerankRequestBody(fields: RerankFormFields): RerankRequestBody {
  const body: RerankRequestBody = {
    model: fields.model.trim(),
    query: fields.query,
    documents: fields.documents.split(/\r?\n/).filter((line) => line.trim() !== ''),
    return_documents: fields.returnDocuments,
  };
  const topN = fields.topN.trim();
  if (topN !== '') {
    const asNumber = Number(topN);
    body.top_n = Number.isFinite(asNumber) ? asNumber : topN;
  }
  if (fields.instruction.trim() !== '') body.instruction = fields.instruction;
  return body;
}

/** Quotes text for a POSIX shell, in single quotes. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The same request as a curl command, for copying; the key is shown as `$SEALINK_API_KEY`, never its value. */
export function rerankCurlCommand(endpoint: string, body: RerankRequestBody): string {
  return [
    `curl ${shellQuote(endpoint)} \\`,
    `  -H "Authorization: Bearer $SEALINK_API_KEY" \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(body))}`,
  ].join('\n');
}
