/**
 * Thrown by an upstream backend's `load` when the engine answers the relevance fixture with degenerate
 * scores (near-constant, or not ranking relevant documents first): the signature of a wrong prompt
 * template or a model served without the right settings (for Qwen3-Reranker, see the upstream README).
 */
export class UpstreamConformanceError extends Error {
  /** Why the scores were judged degenerate. */
  readonly reasons: readonly string[];

  constructor(provider: string, reasons: readonly string[]) {
    super(
      `the ${provider} upstream ranks a known relevance fixture like a broken reranker (${reasons.join('; ')}); ` +
        'check the engine settings and the prompt template',
    );
    this.name = 'UpstreamConformanceError';
    this.reasons = reasons;
  }
}
