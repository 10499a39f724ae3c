/** One problem a schema found in a response. */
export interface ResponseIssue {
  /** Where, as object keys and array indices. */
  readonly path: readonly PropertyKey[];
  /** What is wrong. */
  readonly message: string;
}

/** A schema that checks a response body: the contract's zod schemas fit. */
export interface ResponseSchema<T> {
  /** Checks a value without throwing. */
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { readonly issues: readonly ResponseIssue[] } };
}
