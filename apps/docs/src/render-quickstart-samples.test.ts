import { EXAMPLE_RERANK_REQUEST, PUBLIC_BASE_URL, rerankCodeSamples } from '@sealink/rerank-contract';
import { describe, expect, it } from 'vitest';
import { clientSdkSample, renderQuickstartSamples } from './render-quickstart-samples.js';
import { renderResponseExample } from './render-response-example.js';

describe('renderQuickstartSamples', () => {
  it("holds the public API page's three examples from the contract, each in its own code block", () => {
    const markdown = renderQuickstartSamples();
    for (const sample of rerankCodeSamples(PUBLIC_BASE_URL)) {
      expect(markdown).toContain(`### ${sample.label}\n\n`);
      expect(markdown).toContain(`\n${sample.source}\n\`\`\``);
    }
    expect(markdown).toContain('```sh\ncurl https://test.sealink.io/v1/rerank');
    expect(markdown).toContain('```python\n');
    expect(markdown).toContain('```js\n');
  });

  it('ends with the same request sent with the client SDK', () => {
    const markdown = renderQuickstartSamples();
    expect(markdown).toMatch(/### TypeScript with the SeaLink client SDK\n\n```ts\nimport \{ SeaLink \}/);
    expect(markdown.endsWith(`${clientSdkSample()}\n\`\`\``)).toBe(true);
  });
});

describe('clientSdkSample', () => {
  it("sends exactly the public API page's example request", () => {
    const sample = clientSdkSample();
    expect(sample).toContain("import { SeaLink } from '@sealink/rerank-client';");
    expect(sample).toContain('const client = new SeaLink({ apiKey: process.env.SEALINK_API_KEY });');
    const argument = /client\.rerank\((\{[\s\S]*?\})\);/.exec(sample)?.[1] ?? '';
    const request: unknown = new Function(`return (${argument});`)();
    expect(request).toEqual(EXAMPLE_RERANK_REQUEST);
  });
});

describe('renderResponseExample', () => {
  it("is the contract's example response in a JSON code block", () => {
    const json = /```json\n([\s\S]*)\n```/.exec(renderResponseExample())?.[1];
    expect(JSON.parse(json ?? 'null')).toMatchObject({
      model: 'qwen3-rerank',
      results: [{ index: 2 }, { index: 0 }],
    });
  });
});
