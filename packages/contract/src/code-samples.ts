/** The public base URL of the SeaLink Rerank API, with its version path. */
export const PUBLIC_BASE_URL = 'https://test.sealink.io/v1';

/** The public server of the SeaLink Rerank API, without the version path. */
export const PUBLIC_SERVER_URL = 'https://test.sealink.io';

/** The example request of the public API page. */
export const EXAMPLE_RERANK_REQUEST = {
  model: 'qwen3-rerank',
  query: 'best API gateway for Qwen models',
  documents: [
    'SeaLink exposes one rerank API with customer-visible model IDs.',
    'A sourdough starter needs regular feeding.',
    'Rerank models improve retrieval quality for RAG.',
  ],
  top_n: 2,
} as const;

/** The response example of the public API page, verbatim: it carries no `usage`. */
export const EXAMPLE_RERANK_RESPONSE_TEXT =
  '{"id": "rerank-b1a2c3d4","model": "qwen3-rerank","results": [{"index": 2,"document": {"text": "Rerank models improve retrieval quality for RAG."},"relevance_score": 0.95},{"index": 0,"document": {"text": "SeaLink exposes one rerank API with customer-visible model IDs."},"relevance_score": 0.82}]}';

/** A code sample in the `x-codeSamples` shape that API reference renderers read. */
export interface CodeSample {
  /** The language, for syntax highlighting. */
  lang: string;
  /** The tab's label. */
  label: string;
  /** The code. */
  source: string;
}

const documentsJson = EXAMPLE_RERANK_REQUEST.documents
  .map((text) => `    ${JSON.stringify(text)},`)
  .join('\n');

/**
 * The public API page's three examples (curl, Python requests, Node.js fetch) for `POST /v1/rerank`,
 * against a base URL (with `/v1`), for a model id.
 */
export function rerankCodeSamples(
  baseUrl: string = PUBLIC_BASE_URL,
  model: string = EXAMPLE_RERANK_REQUEST.model,
): CodeSample[] {
  const body = JSON.stringify({ ...EXAMPLE_RERANK_REQUEST, model });
  return [
    {
      lang: 'Shell',
      label: 'cURL',
      source: [
        `curl ${baseUrl}/rerank \\`,
        '  -H "Authorization: Bearer $SEALINK_API_KEY" \\',
        '  -H "Content-Type: application/json" \\',
        `  -d '${body}'`,
      ].join('\n'),
    },
    {
      lang: 'Python',
      label: 'Python',
      source: [
        'import os',
        'import requests',
        '',
        `url = "${baseUrl}/rerank"`,
        'headers = {"Authorization": f"Bearer {os.environ[\'SEALINK_API_KEY\']}"}',
        'payload = {',
        `    "model": "${model}",`,
        `    "query": "${EXAMPLE_RERANK_REQUEST.query}",`,
        '    "documents": [',
        documentsJson.replaceAll('    "', '        "'),
        '    ],',
        `    "top_n": ${EXAMPLE_RERANK_REQUEST.top_n},`,
        '}',
        'resp = requests.post(url, json=payload, headers=headers)',
        'data = resp.json()',
        'for r in data["results"]:',
        "    print(f\"doc[{r['index']}] score={r['relevance_score']:.4f}\")",
      ].join('\n'),
    },
    {
      lang: 'JavaScript',
      label: 'Node.js',
      source: [
        `const resp = await fetch("${baseUrl}/rerank", {`,
        '  method: "POST",',
        '  headers: {',
        '    "Authorization": `Bearer ${process.env.SEALINK_API_KEY}`,',
        '    "Content-Type": "application/json",',
        '  },',
        '  body: JSON.stringify({',
        `    model: "${model}",`,
        `    query: "${EXAMPLE_RERANK_REQUEST.query}",`,
        '    documents: [',
        documentsJson.replaceAll('    "', '      "'),
        '    ],',
        `    top_n: ${EXAMPLE_RERANK_REQUEST.top_n},`,
        '  }),',
        '});',
        'const data = await resp.json();',
        'data.results.forEach(r => console.log(`doc[${r.index}] score=${r.relevance_score.toFixed(4)}`));',
      ].join('\n'),
    },
  ];
}

/** curl, Python and Node.js samples for a `GET` route of the API, path relative to the base URL. */
export function getCodeSamples(path: string, baseUrl: string = PUBLIC_BASE_URL): CodeSample[] {
  return [
    {
      lang: 'Shell',
      label: 'cURL',
      source: `curl ${baseUrl}${path} \\\n  -H "Authorization: Bearer $SEALINK_API_KEY"`,
    },
    {
      lang: 'Python',
      label: 'Python',
      source: [
        'import os',
        'import requests',
        '',
        `resp = requests.get("${baseUrl}${path}", headers={"Authorization": f"Bearer {os.environ['SEALINK_API_KEY']}"})`,
        'print(resp.json())',
      ].join('\n'),
    },
    {
      lang: 'JavaScript',
      label: 'Node.js',
      source: [
        `const resp = await fetch("${baseUrl}${path}", {`,
        '  headers: { "Authorization": `Bearer ${process.env.SEALINK_API_KEY}` },',
        '});',
        'console.log(await resp.json());',
      ].join('\n'),
    },
  ];
}
