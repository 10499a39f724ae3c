import { z } from 'zod';
import { ErrorTypeSchema } from './error-types.js';

/** The body of every error answer. */
export const ErrorResponse = z
  .object({
    /** The error. */
    error: z
      .object({
        /** The kind of error; it fixes the HTTP status (see the error table). */
        type: ErrorTypeSchema,
        /** A stable, machine-readable code, in snake case, for example `unknown_field` or `model_not_found`. */
        code: z
          .string()
          .min(1)
          .meta({
            description: 'A stable, machine-readable code in snake case.',
            examples: ['unknown_field'],
          }),
        /** What is wrong and what is allowed, for a person. */
        message: z.string().min(1).meta({ description: 'What is wrong and what is allowed.' }),
        /** The JSON path of the offending field, for example `documents[3]`, when one field is at fault. */
        param: z
          .string()
          .optional()
          .meta({
            description: 'The JSON path of the offending field, when one field is at fault.',
            examples: ['documents[3]'],
          }),
        /** The id of the request, as in the `X-Request-Id` response header. */
        request_id: z
          .string()
          .meta({ description: 'The id of the request, as in the X-Request-Id response header.' }),
      })
      .meta({ id: 'ErrorDetail', description: 'What went wrong.' }),
  })
  .meta({
    id: 'ErrorResponse',
    description: 'The body of every error answer.',
    examples: [
      {
        error: {
          type: 'invalid_request_error',
          code: 'unknown_field',
          message:
            "Unknown field 'top_k'. Did you mean 'top_n'? Allowed fields: model, query, documents, top_n, return_documents, instruction, max_tokens_per_doc.",
          param: 'top_k',
          request_id: 'req_4f9c2a7e1b3d5f60',
        },
      },
    ],
  });

/** The body of every error answer. */
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** The detail of an error answer. */
export type ErrorDetail = ErrorResponse['error'];
