import { describe, expect, it } from 'vitest';
import type { MockEngineOptions } from './mock-engine-options.js';
import { startMockEngine } from './start-mock-engine.js';

// Options from JavaScript or a config file: a misspelt one was ignored (`modle` served any model), an
// unknown dialect crashed with "Cannot read properties of undefined (reading 'dialect')", and a port given
// as text listened on a pipe and answered with the URL `http://undefined:undefined`.
describe('startMockEngine refuses bad options with a message naming them', () => {
  it.each<[string, unknown, RegExp]>([
    [
      'a misspelt option',
      { dialect: 'tei', modle: 'bge' },
      /^Unknown mock engine option 'modle' \(the options are dialect, port, host, model/,
    ],
    ['no options', undefined, /^options must be an object, got undefined/],
    [
      'an unknown dialect',
      { dialect: 'vllm' },
      /^dialect must be one of .*\btei\b.*\bvllm-rerank\b.*, got "vllm"/,
    ],
    ['no dialect', {}, /^dialect must be one of .*\btei\b.*, got undefined/],
    [
      'a port as text',
      { dialect: 'tei', port: 'abc' },
      /^port must be an integer from 0 to 65535, got "abc"/,
    ],
    ['an empty host', { dialect: 'tei', host: '' }, /^host must be a non-empty string, got ""/],
    [
      'an unknown qwen3 mode',
      { dialect: 'tei', qwen3: 'formatted' },
      /^qwen3 must be expects-formatted or applies-template, got "formatted"/,
    ],
    [
      'an unknown score mapping',
      { dialect: 'tei', scoreMapping: 'softmax' },
      /^scoreMapping must be identity or sigmoid, got "softmax"/,
    ],
  ])('%s', async (_name, options, message) => {
    await expect(startMockEngine(options as MockEngineOptions)).rejects.toThrow(message);
  });

  it('still takes the documented options', async () => {
    await using engine = await startMockEngine({
      dialect: 'vllm-rerank',
      port: 0,
      host: '127.0.0.1',
      model: 'Qwen/Qwen3-Reranker-0.6B',
      apiKey: 'vllm-secret',
      qwen3: 'expects-formatted',
      latencyMs: 0,
      latencyPerDocumentMs: 0,
      maxBatch: 8,
      maxConcurrentRequests: 2,
      maxInputTokens: 100,
      rawLogits: false,
      scoreMapping: 'identity',
      failNext: 0,
    });
    expect(engine.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
