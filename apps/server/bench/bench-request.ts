/** The benchmark's API key. */
export const BENCH_API_KEY = 'sk-bench-0123456789';

/** The benchmark's model id. */
export const BENCH_MODEL = 'constant';

const WORDS = [
  'rerank',
  'gateway',
  'retrieval',
  'quality',
  'document',
  'model',
  'search',
  'vector',
  'latency',
  'query',
];

/** A document of about `length` characters, different for each seed. */
function documentText(seed: number, length: number): string {
  const words: string[] = [];
  let size = 0;
  for (let index = 0; size < length; index++) {
    const word = `${WORDS[(seed * 7 + index * 3) % WORDS.length]}${(seed + index) % 13}`;
    words.push(word);
    size += word.length + 1;
  }
  return words.join(' ').slice(0, length);
}

/** The benchmark request: 20 documents of about 200 characters, `top_n` 5, as the issue sets it. */
export const BENCH_REQUEST_BODY = JSON.stringify({
  model: BENCH_MODEL,
  query: 'which gateway improves retrieval quality for search',
  documents: Array.from({ length: 20 }, (_, index) => documentText(index, 200)),
  top_n: 5,
});
