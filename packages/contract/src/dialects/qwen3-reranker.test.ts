import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatQwen3RerankerBody,
  formatQwen3RerankerDocument,
  formatQwen3RerankerPrompt,
  formatQwen3RerankerQuery,
  parseQwen3RerankerDocument,
  parseQwen3RerankerQuery,
  QWEN3_RERANKER_DEFAULT_INSTRUCTION,
  QWEN3_RERANKER_PREFIX,
  QWEN3_RERANKER_SUFFIX,
  QWEN3_RERANKER_TOKEN_IDS,
  QWEN3_RERANKER_VLLM_HF_OVERRIDES,
  qwen3RerankerScore,
} from './qwen3-reranker.js';

// Written out by hand from the Qwen3-Reranker model card: prefix, format_instruction, suffix.
const MODEL_CARD_PREFIX =
  '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n';
const MODEL_CARD_SUFFIX = '<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n';

describe('Qwen3-Reranker prompt', () => {
  it('has the model card prefix and suffix, character for character', () => {
    expect(QWEN3_RERANKER_PREFIX).toBe(MODEL_CARD_PREFIX);
    expect(QWEN3_RERANKER_SUFFIX).toBe(MODEL_CARD_SUFFIX);
  });

  it('formats the whole prompt exactly as the model card does', () => {
    const prompt = formatQwen3RerankerPrompt({
      query: 'What is the capital of China?',
      document: 'The capital of China is Beijing.',
    });
    expect(prompt).toBe(
      '<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the Instruct provided. Note that the answer can only be "yes" or "no".<|im_end|>\n<|im_start|>user\n<Instruct>: Given a web search query, retrieve relevant passages that answer the query\n<Query>: What is the capital of China?\n<Document>: The capital of China is Beijing.<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    );
  });

  it('uses the model card default instruction and passes a given one through', () => {
    expect(QWEN3_RERANKER_DEFAULT_INSTRUCTION).toBe(
      'Given a web search query, retrieve relevant passages that answer the query',
    );
    expect(
      formatQwen3RerankerBody({
        instruction: 'Retrieve semantically similar text',
        query: 'q',
        document: 'd',
      }),
    ).toBe('<Instruct>: Retrieve semantically similar text\n<Query>: q\n<Document>: d');
  });

  it('splits into a query half and a document half that concatenate to the prompt', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.string(),
        fc.string(),
        (instruction, query, document) => {
          const pair = { instruction, query, document };
          expect(formatQwen3RerankerQuery(pair) + formatQwen3RerankerDocument(document)).toBe(
            formatQwen3RerankerPrompt(pair),
          );
        },
      ),
    );
  });

  it('reads the halves back', () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !text.includes('\n<Query>: ')),
        fc.string(),
        fc.string(),
        (instruction, query, document) => {
          expect(parseQwen3RerankerQuery(formatQwen3RerankerQuery({ instruction, query }))).toEqual({
            instruction,
            query,
          });
          expect(parseQwen3RerankerDocument(formatQwen3RerankerDocument(document))).toBe(document);
        },
      ),
    );
    expect(parseQwen3RerankerQuery('plain query')).toBeUndefined();
    expect(parseQwen3RerankerDocument('plain document')).toBeUndefined();
  });

  it('names the model card token ids', () => {
    expect(QWEN3_RERANKER_TOKEN_IDS).toEqual({ no: 2152, yes: 9693 });
  });

  it("gives vLLM's documented --hf_overrides for the original checkpoints", () => {
    expect(JSON.stringify(QWEN3_RERANKER_VLLM_HF_OVERRIDES)).toBe(
      '{"architectures":["Qwen3ForSequenceClassification"],"classifier_from_token":["no","yes"],"is_original_qwen3_reranker":true}',
    );
  });
});

describe('qwen3RerankerScore', () => {
  const softmaxYes = (no: number, yes: number) => Math.exp(yes) / (Math.exp(no) + Math.exp(yes));

  it('equals softmax([z_no, z_yes])[1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 40, noNaN: true }),
        fc.double({ min: -40, max: 40, noNaN: true }),
        (no, yes) => {
          expect(qwen3RerankerScore(no, yes)).toBeCloseTo(softmaxYes(no, yes), 12);
        },
      ),
    );
    expect(qwen3RerankerScore(1.5, 3.25)).toBeCloseTo(0.8519528019683106, 15);
  });

  it('is symmetric: swapping the logits gives one minus the score', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (no, yes) => {
          expect(qwen3RerankerScore(yes, no)).toBeCloseTo(1 - qwen3RerankerScore(no, yes), 12);
        },
      ),
    );
  });

  it('is 0.5 for equal logits and depends only on their difference', () => {
    expect(qwen3RerankerScore(12.5, 12.5)).toBe(0.5);
    expect(qwen3RerankerScore(1000, 1003)).toBeCloseTo(qwen3RerankerScore(0, 3), 12);
  });

  it('stays finite for logits where the naive softmax overflows', () => {
    expect(Number.isNaN(softmaxYes(1000, 1001))).toBe(true);
    expect(qwen3RerankerScore(1000, 1001)).toBeCloseTo(0.7310585786300049, 12);
    expect(qwen3RerankerScore(-1e4, 1e4)).toBe(1);
    expect(qwen3RerankerScore(1e4, -1e4)).toBe(0);
    expect(qwen3RerankerScore(-800, -801)).toBeCloseTo(0.2689414213699951, 12);
  });
});
