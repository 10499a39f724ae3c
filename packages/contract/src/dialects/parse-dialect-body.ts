import type { z } from 'zod';
import { formatJsonPath } from '../json-path.js';
import { DialectResponseError } from './dialect-response-error.js';

/**
 * Checks a body against a dialect's schema.
 * @throws DialectResponseError naming each field that is wrong.
 */
export function parseDialectBody<Output>(dialect: string, schema: z.ZodType<Output>, body: unknown): Output {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new DialectResponseError(
    dialect,
    parsed.error.issues.map((issue) => `${formatJsonPath(issue.path) || '(body)'}: ${issue.message}`),
  );
}
