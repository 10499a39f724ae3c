import { z } from 'zod';
import type { DialectErrorDescription } from './rerank-dialect.js';

/**
 * The OpenAI-style error body `{ "error": { message, type, code } }`, as DashScope's compatible mode,
 * Infinity, llama.cpp's server and recent vLLM send; older vLLM sends the same fields at the top
 * level with `object: "error"`, which {@link describeOpenAiError} also reads.
 */
export const OpenAiErrorBody = z.object({
  /** The error. */
  error: z.object({
    /** What went wrong. */
    message: z.string(),
    /** The error type, such as `invalid_request_error` or `BadRequestError`. */
    type: z.string().optional(),
    /** The offending parameter, when known. */
    param: z.string().nullable().optional(),
    /** A numeric status or a string code. */
    code: z.union([z.string(), z.number()]).nullable().optional(),
  }),
});

/** The OpenAI-style error body. */
export type OpenAiErrorBody = z.infer<typeof OpenAiErrorBody>;

const FlatOpenAiErrorBody = z.object({
  object: z.literal('error'),
  message: z.string(),
  type: z.string().optional(),
});

/** The message of an OpenAI-style error body, nested or flat (older vLLM). */
export function describeOpenAiError(body: unknown): DialectErrorDescription | undefined {
  const nested = OpenAiErrorBody.safeParse(body);
  if (nested.success) {
    const { message, type } = nested.data.error;
    return type === undefined ? { message } : { message, code: type };
  }
  const flat = FlatOpenAiErrorBody.safeParse(body);
  if (!flat.success) return undefined;
  const { message, type } = flat.data;
  return type === undefined ? { message } : { message, code: type };
}
