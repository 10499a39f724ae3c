/** A mistake in how the evaluation command was called: an unknown flag or model, a bad value. */
export class EvaluationUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationUsageError';
  }
}
