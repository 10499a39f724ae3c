/**
 * Thrown when an engine's or provider's answer does not have the shape its dialect promises, or its
 * scores cannot be trusted (not numbers, out of range, missing, duplicate or unknown indices).
 * Backends turn it into the contract's 502 `upstream_error`; the message never carries document text.
 */
export class DialectResponseError extends Error {
  /** The dialect whose answer was rejected, for example `tei`. */
  readonly dialect: string;
  /** Each problem found, as `path: what is wrong`. */
  readonly issues: readonly string[];

  constructor(dialect: string, issues: readonly string[]) {
    const shown = issues.slice(0, 5).join('; ');
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
    super(`the ${dialect} answer is invalid: ${shown}${more}`);
    this.name = 'DialectResponseError';
    this.dialect = dialect;
    this.issues = issues;
  }
}
