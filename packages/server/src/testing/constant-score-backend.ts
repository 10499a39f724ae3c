import type {
  ScoringBackendLimits,
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
} from '../backend/scoring-backend-v1.js';

/** Options of {@link ConstantScoreBackend}. */
export interface ConstantScoreBackendOptions {
  /** The score every document gets; 0.5 by default. */
  score?: number;
  /** Limits to declare; 1,000 documents per call, 8,192 tokens, no instruction by default. */
  limits?: Partial<ScoringBackendLimits>;
}

/**
 * A backend that gives every document the same score and counts one token per 4 characters: no scoring
 * cost at all, for measuring the server's own overhead and for tests that only need valid answers.
 */
export class ConstantScoreBackend implements ScoringBackendV1 {
  /** Always `v1`. */
  readonly specificationVersion = 'v1';
  /** `sealink.constant`. */
  readonly provider = 'sealink.constant';
  /** `constant`. */
  readonly modelId = 'constant';
  /** The declared limits. */
  readonly limits: ScoringBackendLimits;
  readonly #score: number;

  constructor(options: ConstantScoreBackendOptions = {}) {
    this.#score = options.score ?? 0.5;
    this.limits = {
      maxDocumentsPerCall: 1000,
      contextLength: 8192,
      supportsInstruction: false,
      ...options.limits,
    };
  }

  /** Always ready. */
  isReady(): boolean {
    return true;
  }

  /** One constant score per document. */
  doScore(options: ScoringCallOptionsV1): Promise<ScoringResultV1> {
    let characters = options.query.length;
    for (const document of options.documents) characters += document.length;
    return Promise.resolve({
      scores: new Float64Array(options.documents.length).fill(this.#score),
      usage: { tokens: Math.ceil(characters / 4) },
      warnings: [],
    });
  }
}
