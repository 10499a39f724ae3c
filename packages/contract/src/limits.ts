/** The most documents one rerank request may carry. */
export const MAX_DOCUMENTS = 1000;

/** The longest model id, in characters: Unicode code points, as JSON Schema's `maxLength` counts. */
export const MAX_MODEL_ID_LENGTH = 256;

/** The longest query, in characters: Unicode code points, as JSON Schema's `maxLength` counts (an emoji is one). */
export const MAX_QUERY_LENGTH = 32_768;

/** The longest single document, in characters: Unicode code points, as JSON Schema's `maxLength` counts (an emoji is one). */
export const MAX_DOCUMENT_LENGTH = 131_072;

/** The longest instruction, in characters: Unicode code points, as JSON Schema's `maxLength` counts (an emoji is one). */
export const MAX_INSTRUCTION_LENGTH = 8_192;

/** The largest request body a server accepts by default, in bytes (10 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
