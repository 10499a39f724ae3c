import type { z } from 'zod';
import { createErrorResponse, type ErrorAnswer, type ErrorDescription } from './create-error-response.js';
import { formatJsonPath } from './json-path.js';

/** Field names users often send by mistake, and the field they meant. */
const FIELD_ALIASES: Readonly<Record<string, string>> = {
  top_k: 'top_n',
  topN: 'top_n',
  topK: 'top_n',
  texts: 'documents',
  docs: 'documents',
  passages: 'documents',
  input: 'documents',
  return_text: 'return_documents',
  returnDocuments: 'return_documents',
  instruct: 'instruction',
  prompt: 'instruction',
  max_chunks_per_doc: 'max_tokens_per_doc',
  truncate_prompt_tokens: 'max_tokens_per_doc',
  maxTokensPerDoc: 'max_tokens_per_doc',
};

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The allowed field a user most likely meant by an unknown one, if any is close. */
export function suggestField(unknownField: string, allowedFields: readonly string[]): string | undefined {
  const alias = Object.hasOwn(FIELD_ALIASES, unknownField) ? FIELD_ALIASES[unknownField] : undefined;
  if (alias !== undefined && allowedFields.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = 3;
  let lowerCased: string | undefined;
  for (const field of allowedFields) {
    // The distance is at least the difference in length: a name that cannot be near is never compared, so a
    // body of one huge key (megabytes) costs nothing here instead of seconds of the event loop.
    if (Math.abs(unknownField.length - field.length) >= bestDistance) continue;
    lowerCased ??= unknownField.toLowerCase();
    const distance = editDistance(lowerCased, field);
    if (distance < bestDistance) {
      best = field;
      bestDistance = distance;
    }
  }
  return best;
}

function isMissing(input: unknown, path: readonly PropertyKey[]): boolean {
  let value: unknown = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return false;
    if (!Object.hasOwn(value, segment)) return true;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value === undefined;
}

/**
 * For a union that failed, the issue of the one branch whose type matched the input (for example the
 * object branch of a document sent as `{ "text": 5 }`), so the error can name the deepest field.
 */
function innermostIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const matchedBranches = issue.errors.filter(
    (branch) => !branch.some((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
  );
  const inner = matchedBranches.length === 1 ? matchedBranches[0]?.[0] : undefined;
  if (inner === undefined) return issue;
  return innermostIssue({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue);
}

/** The most characters of an unknown field's name that an error echoes; longer names are cut with `…`. */
export const MAX_ECHOED_FIELD_NAME_LENGTH = 64;

/**
 * An unknown field's name as an error echoes it: whole up to {@link MAX_ECHOED_FIELD_NAME_LENGTH}
 * characters, else cut there (never inside a surrogate pair) and ended with `…`, so that a body with a
 * huge key does not get it back twice in the error answer.
 */
function echoedFieldName(name: string): string {
  if (name.length <= MAX_ECHOED_FIELD_NAME_LENGTH) return name;
  let end = MAX_ECHOED_FIELD_NAME_LENGTH;
  const last = name.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${name.slice(0, end)}…`;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  allowedFields: readonly string[],
  input: unknown,
): ErrorDescription {
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys[0] ?? '';
    const param = formatJsonPath([...issue.path, echoedFieldName(field)]);
    if (issue.path.length > 0) {
      return {
        type: 'invalid_request_error',
        code: 'unknown_field',
        message: `Unknown field '${param}': ${issue.message}.`,
        param,
      };
    }
    const suggestion = suggestField(field, allowedFields);
    const hint = suggestion === undefined ? '' : ` Did you mean '${suggestion}'?`;
    return {
      type: 'invalid_request_error',
      code: 'unknown_field',
      message: `Unknown field '${param}'.${hint} Allowed fields: ${allowedFields.join(', ')}.`,
      param,
    };
  }
  const param = formatJsonPath(issue.path);
  if (param === '') {
    return {
      type: 'invalid_request_error',
      code: 'invalid_body',
      message: 'The request body must be a JSON object.',
    };
  }
  const missing = issue.code === 'invalid_type' && isMissing(input, issue.path);
  return {
    type: 'invalid_request_error',
    code: missing ? 'missing_field' : 'invalid_value',
    message: `Invalid '${param}': ${issue.message}.`,
    param,
  };
}

/** Options of {@link zodErrorToErrorResponse}. */
export interface ZodErrorToErrorResponseOptions {
  /** The id of the request, for the body's `request_id`. */
  requestId: string;
  /** The body that failed validation; with it, a missing field gets the code `missing_field`. */
  input?: unknown;
  /** The fields the body may have, to suggest the one meant by an unknown field. */
  allowedFields?: readonly string[];
}

/**
 * Turns a zod validation error of a request body into the contract's 400 error answer. It names the first
 * problem, with the JSON path of the field in `param`; unknown fields name the field and suggest the one meant.
 */
export function zodErrorToErrorResponse(
  error: z.ZodError,
  options: ZodErrorToErrorResponseOptions,
): ErrorAnswer {
  const issue = error.issues[0];
  const description: ErrorDescription =
    issue === undefined
      ? { type: 'invalid_request_error', code: 'invalid_body', message: 'The request body is invalid.' }
      : describeIssue(innermostIssue(issue), options.allowedFields ?? [], options.input);
  const more = error.issues.length - 1;
  if (more > 0) description.message += ` (${more} more problem${more === 1 ? '' : 's'} in this request.)`;
  return createErrorResponse(description, options.requestId);
}
