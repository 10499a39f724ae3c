import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type {
  ScoringBackendLimits,
  ScoringBackendV1,
  ScoringCallOptionsV1,
  ScoringResultV1,
  ScoringWarning,
} from '../backend/scoring-backend-v1.js';
import { ScoringError } from '../backend/scoring-error.js';
import { TermVocabulary, TokenBuffer } from './term-vocabulary.js';

/** Configuration of {@link Bm25Backend}. */
export interface Bm25BackendOptions {
  /** The model id the backend reports. Default `bm25`. */
  modelId?: string;
  /** Term frequency saturation: how fast repeated occurrences stop adding score. Default 1.2. */
  k1?: number;
  /** Length normalisation, from 0 (none) to 1 (full). Default 0.75. */
  b?: number;
  /**
   * The raw BM25 score that maps to a relevance score of 0.5, in `score / (score + saturation)`. Default 10,
   * about a document matching two or three of a query's rarer words.
   */
  saturation?: number;
  /** Drop English stop words ("the", "for", "with", ...). Default true. */
  stopWords?: boolean;
  /** Reduce English words to their Porter stem ("models" matches "model"). Default true. */
  stemming?: boolean;
  /** The most documents one call may carry. Default 10,000. */
  maxDocumentsPerCall?: number;
  /** The most tokens read of the query and of each document; longer texts are cut. Default 32,768. */
  contextLength?: number;
  /**
   * How many documents to keep analysed, keyed by their text, for calls that score the same documents
   * again (an evaluation ranking one corpus for many queries). The oldest entry goes first when full.
   * Scores are the same with or without it. Default 0 (off): a server rarely sees the same text twice, and
   * hashing a long text costs about as much as scanning it.
   */
  documentCacheSize?: number;
}

/** A document's analysed tokens, kept by the document cache. */
interface CachedDocument {
  /** The vocabulary generation the term ids belong to. */
  generation: number;
  /** The token limit the document was read with. */
  maxTokens: number;
  /** The term ids of its tokens that are not stop words. */
  termIds: Int32Array;
  /** How many tokens it has, stop words included. */
  tokenCount: number;
}

/** The settings of a {@link Bm25Backend}, all resolved. */
export interface Bm25Settings {
  /** Term frequency saturation. */
  readonly k1: number;
  /** Length normalisation. */
  readonly b: number;
  /** The raw score that maps to 0.5. */
  readonly saturation: number;
  /** Whether English stop words are dropped. */
  readonly stopWords: boolean;
  /** Whether English words are stemmed. */
  readonly stemming: boolean;
}

/**
 * Work between two checks of the abort signal (and yields to the event loop): characters of documents
 * scanned, or tokens of cached documents matched.
 */
const WORK_PER_SLICE = 2_000_000;

function checkNumber(name: string, value: number, minimum: number, maximum: number): number {
  if (!Number.isFinite(value) || value < minimum || value > maximum) {
    throw new RangeError(
      `Bm25Backend option ${name} must be a number from ${minimum} to ${maximum}, got ${value}`,
    );
  }
  return value;
}

function checkCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Bm25Backend option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * The embedded lexical model: Okapi BM25 over the candidate documents of each call, in pure TypeScript.
 *
 * A strong lexical baseline and the offline default, not a neural model: it matches words (after Unicode
 * normalisation, English stop words and Porter stemming), so it knows no synonyms or paraphrases and no
 * meaning across languages. Document frequencies come from the call's own documents, so the same document
 * can score differently among other candidates. See `README.md` in this folder.
 *
 * Scores are `raw / (raw + saturation)` ({@link bm25RelevanceScore}), in [0, 1), comparable across calls.
 * Usage tokens are the number of word tokens of the query and the documents: an estimate, close to but not
 * equal to what a subword tokenizer would count. `instruction` is ignored with an `unsupported-setting`
 * warning. Large calls yield to the event loop every 2 MB of text and stop when `abortSignal` aborts.
 */
export class Bm25Backend implements ScoringBackendV1 {
  /** {@inheritDoc ScoringBackendV1.specificationVersion} */
  readonly specificationVersion = 'v1' as const;
  /** {@inheritDoc ScoringBackendV1.provider} */
  readonly provider = 'sealink.bm25';
  /** {@inheritDoc ScoringBackendV1.modelId} */
  readonly modelId: string;
  /** {@inheritDoc ScoringBackendV1.limits} */
  readonly limits: ScoringBackendLimits;
  /** The resolved BM25 settings. */
  readonly settings: Bm25Settings;
  readonly #vocabulary: TermVocabulary;
  readonly #tokens = new TokenBuffer();
  readonly #documentCache: Map<string, CachedDocument> | undefined;
  readonly #documentCacheSize: number;
  #termCounts = new Int32Array(64);
  #touchedSlots = new Int32Array(64);

  constructor(options: Bm25BackendOptions = {}) {
    this.modelId = options.modelId ?? 'bm25';
    this.settings = {
      k1: checkNumber('k1', options.k1 ?? 1.2, 0, 1000),
      b: checkNumber('b', options.b ?? 0.75, 0, 1),
      saturation: checkNumber('saturation', options.saturation ?? 10, Number.MIN_VALUE, Number.MAX_VALUE),
      stopWords: options.stopWords ?? true,
      stemming: options.stemming ?? true,
    };
    this.limits = {
      maxDocumentsPerCall: checkCount('maxDocumentsPerCall', options.maxDocumentsPerCall ?? 10_000),
      contextLength: checkCount('contextLength', options.contextLength ?? 32_768),
      supportsInstruction: false,
    };
    this.#vocabulary = new TermVocabulary({
      stopWords: this.settings.stopWords,
      stemming: this.settings.stemming,
    });
    this.#documentCacheSize = options.documentCacheSize ?? 0;
    if (!Number.isSafeInteger(this.#documentCacheSize) || this.#documentCacheSize < 0) {
      throw new RangeError(
        `Bm25Backend option documentCacheSize must be a non-negative integer, got ${this.#documentCacheSize}`,
      );
    }
    this.#documentCache = this.#documentCacheSize > 0 ? new Map() : undefined;
  }

  #cacheDocument(text: string, document: CachedDocument): void {
    const cache = this.#documentCache;
    if (cache === undefined) return;
    if (cache.size >= this.#documentCacheSize) {
      const oldest = cache.keys().next();
      if (oldest.done !== true) cache.delete(oldest.value);
    }
    cache.set(text, document);
  }

  /** Always true: the backend has nothing to load. */
  isReady(): boolean {
    return true;
  }

  /** {@inheritDoc ScoringBackendV1.doScore} */
  async doScore(options: ScoringCallOptionsV1): Promise<ScoringResultV1> {
    const { query, documents, abortSignal } = options;
    abortSignal?.throwIfAborted();
    if (documents.length > this.limits.maxDocumentsPerCall) {
      throw new ScoringError({
        type: 'invalid_request_error',
        code: 'too_many_documents',
        message: `This model scores at most ${this.limits.maxDocumentsPerCall} documents per call, got ${documents.length}.`,
      });
    }
    const maxTokensPerDocument = this.#maxTokensPerDocument(options.maxTokensPerDocument);
    const warnings: ScoringWarning[] = [];
    if (options.instruction !== undefined) {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'instruction',
        details: 'BM25 matches words and follows no instruction; the instruction was ignored.',
      });
    }

    const vocabulary = this.#vocabulary;
    vocabulary.resetIfFull();
    const tokens = this.#tokens;
    let tokenCount = vocabulary.scan(query, this.limits.contextLength, tokens);
    const queryTerms: string[] = [];
    const queryTermCounts: number[] = [];
    const slotOfTerm = new Map<string, number>();
    for (let position = 0; position < tokens.length; position++) {
      const term = vocabulary.termText(tokens.termIds[position] as number);
      const slot = slotOfTerm.get(term);
      if (slot === undefined) {
        slotOfTerm.set(term, queryTerms.length);
        queryTerms.push(term);
        queryTermCounts.push(1);
      } else {
        queryTermCounts[slot] = (queryTermCounts[slot] as number) + 1;
      }
    }
    const queryTermTotal = queryTerms.length;
    if (this.#termCounts.length < queryTermTotal) {
      this.#termCounts = new Int32Array(queryTermTotal);
      this.#touchedSlots = new Int32Array(queryTermTotal);
    }

    const documentCount = documents.length;
    const documentLengths = new Float64Array(documentCount);
    const documentFrequencies = new Float64Array(queryTermTotal);
    const postingStarts = new Int32Array(documentCount + 1);
    let postingSlots = new Int32Array(Math.max(16, documentCount));
    let postingCounts = new Int32Array(postingSlots.length);
    let postingTotal = 0;
    let lengthTotal = 0;

    const lookupFilter = vocabulary.createLookupFilter(queryTerms);
    let mark = vocabulary.markTerms(queryTerms);
    let workInSlice = 0;
    for (let documentIndex = 0; documentIndex < documentCount; documentIndex++) {
      if (workInSlice >= WORK_PER_SLICE) {
        workInSlice = 0;
        await nextMacrotask();
        abortSignal?.throwIfAborted();
        vocabulary.resetIfFull();
        mark = vocabulary.markTerms(queryTerms);
      }
      const text = documents[documentIndex] as string;
      let termIds: Int32Array;
      let kept: number;
      let documentLength: number;
      const cached = this.#documentCache?.get(text);
      if (
        cached !== undefined &&
        cached.generation === vocabulary.generation &&
        cached.maxTokens === maxTokensPerDocument
      ) {
        termIds = cached.termIds;
        kept = termIds.length;
        documentLength = kept;
        tokenCount += cached.tokenCount;
        workInSlice += kept;
      } else if (this.#documentCache !== undefined) {
        workInSlice += text.length;
        const documentTokens = vocabulary.scan(text, maxTokensPerDocument, tokens);
        tokenCount += documentTokens;
        kept = tokens.length;
        termIds = tokens.termIds.slice(0, kept);
        documentLength = kept;
        this.#cacheDocument(text, {
          generation: vocabulary.generation,
          maxTokens: maxTokensPerDocument,
          termIds,
          tokenCount: documentTokens,
        });
      } else {
        workInSlice += text.length;
        tokenCount += vocabulary.scan(text, maxTokensPerDocument, tokens, lookupFilter);
        termIds = tokens.termIds;
        kept = tokens.length;
        documentLength = kept + tokens.unlistedCount;
      }
      documentLengths[documentIndex] = documentLength;
      lengthTotal += documentLength;
      if (queryTermTotal > 0) {
        const termMarks = vocabulary.termMarks;
        const termSlots = vocabulary.termSlots;
        const termCounts = this.#termCounts;
        const touchedSlots = this.#touchedSlots;
        let touched = 0;
        for (let position = 0; position < kept; position++) {
          const termId = termIds[position] as number;
          if (termMarks[termId] !== mark) continue;
          const slot = termSlots[termId] as number;
          if (termCounts[slot] === 0) touchedSlots[touched++] = slot;
          termCounts[slot] = (termCounts[slot] as number) + 1;
        }
        if (postingTotal + touched > postingSlots.length) {
          const capacity = Math.max(postingSlots.length * 2, postingTotal + touched);
          const slots = new Int32Array(capacity);
          slots.set(postingSlots);
          postingSlots = slots;
          const counts = new Int32Array(capacity);
          counts.set(postingCounts);
          postingCounts = counts;
        }
        // Postings in slot (query term) order, so the score sums its terms in one order whatever the
        // document's word order: documents with the same words score exactly alike, not a few ulps apart.
        for (let index = 1; index < touched; index++) {
          const slot = touchedSlots[index] as number;
          let before = index - 1;
          while (before >= 0 && (touchedSlots[before] as number) > slot) {
            touchedSlots[before + 1] = touchedSlots[before] as number;
            before--;
          }
          touchedSlots[before + 1] = slot;
        }
        for (let index = 0; index < touched; index++) {
          const slot = touchedSlots[index] as number;
          postingSlots[postingTotal] = slot;
          postingCounts[postingTotal] = termCounts[slot] as number;
          postingTotal++;
          documentFrequencies[slot] = (documentFrequencies[slot] as number) + 1;
          termCounts[slot] = 0;
        }
      }
      postingStarts[documentIndex + 1] = postingTotal;
    }

    const scores = this.#score({
      documentCount,
      documentLengths,
      averageDocumentLength: documentCount > 0 ? lengthTotal / documentCount : 0,
      documentFrequencies,
      queryTermCounts,
      postingStarts,
      postingSlots,
      postingCounts,
    });
    return { scores, usage: { tokens: tokenCount }, warnings };
  }

  #maxTokensPerDocument(requested: number | undefined): number {
    if (requested === undefined) return this.limits.contextLength;
    if (!Number.isSafeInteger(requested) || requested < 1) {
      throw new ScoringError({
        type: 'invalid_request_error',
        code: 'invalid_max_tokens_per_doc',
        message: `max_tokens_per_doc must be a positive integer, got ${requested}.`,
      });
    }
    return Math.min(requested, this.limits.contextLength);
  }

  #score(input: {
    documentCount: number;
    documentLengths: Float64Array;
    averageDocumentLength: number;
    documentFrequencies: Float64Array;
    queryTermCounts: readonly number[];
    postingStarts: Int32Array;
    postingSlots: Int32Array;
    postingCounts: Int32Array;
  }): Float64Array {
    const { k1, b, saturation } = this.settings;
    const {
      documentCount,
      documentLengths,
      averageDocumentLength,
      postingStarts,
      postingSlots,
      postingCounts,
    } = input;
    const weights = new Float64Array(input.queryTermCounts.length);
    for (let slot = 0; slot < weights.length; slot++) {
      const documentFrequency = input.documentFrequencies[slot] as number;
      // Same as bm25InverseDocumentFrequency, times the term's count in the query and BM25's (k1 + 1).
      const inverseDocumentFrequency = Math.log(
        1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5),
      );
      weights[slot] = (input.queryTermCounts[slot] as number) * inverseDocumentFrequency * (k1 + 1);
    }
    const scores = new Float64Array(documentCount);
    const lengthScale = averageDocumentLength > 0 ? b / averageDocumentLength : 0;
    const lengthBase = averageDocumentLength > 0 ? 1 - b : 1;
    for (let documentIndex = 0; documentIndex < documentCount; documentIndex++) {
      const end = postingStarts[documentIndex + 1] as number;
      let posting = postingStarts[documentIndex] as number;
      if (posting === end) continue;
      const normalisation = k1 * (lengthBase + lengthScale * (documentLengths[documentIndex] as number));
      let raw = 0;
      for (; posting < end; posting++) {
        const termFrequency = postingCounts[posting] as number;
        raw +=
          ((weights[postingSlots[posting] as number] as number) * termFrequency) /
          (termFrequency + normalisation);
      }
      // bm25RelevanceScore, inlined (1 / (1 + saturation / raw) rounds monotonically; raw / (raw + saturation) does not).
      scores[documentIndex] = raw > 0 ? 1 / (1 + saturation / raw) : 0;
    }
    return scores;
  }
}
