import { z } from 'zod';

/** The index of a document in an engine's answer: an integer from 0. */
export const EngineIndex = z.int().min(0).meta({ description: "The document's position in the request." });

/** A score in an engine's answer: a finite number (JSON has no NaN or infinity; zod rejects them). */
export const EngineScoreValue = z.number().meta({ description: 'The score in the engine scale.' });

/** A document an engine echoes back: a plain string or `{ text }`, depending on the engine and version. */
export const EngineDocument = z.union([z.string(), z.object({ text: z.string() })]);

/** A document an engine echoes back. */
export type EngineDocument = z.infer<typeof EngineDocument>;

/** A document as any engine echoes it: a string, an object that may have `text`, or nothing. */
export type EchoedDocument = string | { text?: string | undefined } | null | undefined;

/** The text of an echoed document, or `undefined` when it carries none. */
export function engineDocumentText(document: EchoedDocument): string | undefined {
  if (document === undefined || document === null) return undefined;
  return typeof document === 'string' ? document : document.text;
}

/**
 * A query as dialect requests carry it: a string that is not empty. The message names no field, since
 * dialects call it `query`, `text_1` or `input.query`; the error's `param` names it.
 */
export const DialectQuery = z.string().min(1, { error: 'must not be empty' });

/**
 * Documents as dialect requests carry them: at least one string. The message names no field, since
 * dialects call them `documents`, `texts`, `text_2` or `input.documents`; the error's `param` names it.
 */
export const DialectTexts = z.array(z.string()).min(1, { error: 'must have at least 1 item' });

/**
 * An integer of `minimum` or more, as JSON Schema's `integer` means it: beyond 2^53 too (`z.int()` refuses
 * those). The providers' count fields are integers without a maximum (Cohere's and Jina's `top_n`), and the
 * Python servers behind most engines parse any integer, so a `top_n` of Python's `sys.maxsize` means every
 * document on a compatibility route, as it does on `POST /v1/rerank`. Its JSON Schema is stated in `meta`.
 */
function unboundedInteger(minimum: number) {
  return z
    .number()
    .refine(Number.isInteger, { error: 'Invalid input: expected int, received number', abort: true })
    .min(minimum)
    .meta({ type: 'integer', minimum });
}

/** A positive integer such as `top_n`: any integer of 1 or more, beyond 2^53 too. */
export const PositiveInt = unboundedInteger(1);

/** An integer of 0 or more, beyond 2^53 too, such as vLLM's `top_n` (whose 0 means all). */
export const NonNegativeInt = unboundedInteger(0);
