import { EXAMPLE_RERANK_REQUEST, PUBLIC_BASE_URL, rerankCodeSamples } from '@sealink/rerank-contract';
import { markdownCodeBlock } from './markdown-code-block.js';

/** The highlight language of each of the contract's code sample languages, for the fenced blocks. */
const FENCE_LANGUAGES: Record<string, string> = { Shell: 'sh', Python: 'python', JavaScript: 'js' };

/** The public API page's example request, sent with our client SDK `@sealink/rerank-client`. */
export function clientSdkSample(model: string = EXAMPLE_RERANK_REQUEST.model): string {
  const documents = EXAMPLE_RERANK_REQUEST.documents.map((text) => `    ${JSON.stringify(text)},`).join('\n');
  return [
    "import { SeaLink } from '@sealink/rerank-client';",
    '',
    'const client = new SeaLink({ apiKey: process.env.SEALINK_API_KEY });',
    'const response = await client.rerank({',
    `  model: ${JSON.stringify(model)},`,
    `  query: ${JSON.stringify(EXAMPLE_RERANK_REQUEST.query)},`,
    '  documents: [',
    documents,
    '  ],',
    `  top_n: ${EXAMPLE_RERANK_REQUEST.top_n},`,
    '});',
    'for (const result of response.results) {',
    '  console.log(`doc[${result.index}] score=${result.relevance_score.toFixed(4)}`);',
    '}',
  ].join('\n');
}

/**
 * The quickstart's examples as markdown: the public API page's three (curl, Python requests, Node.js fetch,
 * from the contract's `rerankCodeSamples`), then the same call with the client SDK, each under a heading.
 */
export function renderQuickstartSamples(baseUrl: string = PUBLIC_BASE_URL): string {
  const sections = rerankCodeSamples(baseUrl).map(
    (sample) =>
      `### ${sample.label}\n\n${markdownCodeBlock(sample.source, FENCE_LANGUAGES[sample.lang] ?? sample.lang.toLowerCase())}`,
  );
  sections.push(
    `### TypeScript with the SeaLink client SDK\n\n${markdownCodeBlock(clientSdkSample(), 'ts')}`,
  );
  return sections.join('\n\n');
}
