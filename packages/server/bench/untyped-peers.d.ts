// Types for the untyped BM25 packages the benchmark compares against (only what it calls).

declare module 'wink-bm25-text-search' {
  interface WinkBm25Engine {
    defineConfig(config: {
      fldWeights: Record<string, number>;
      bm25Params?: { k1?: number; b?: number };
    }): boolean;
    definePrepTasks(tasks: Array<(input: never) => unknown>): number;
    addDoc(document: Record<string, string>, uniqueId: number): number;
    consolidate(precision?: number): boolean;
    search(text: string, limit?: number): Array<[number, number]>;
  }
  function bm25(): WinkBm25Engine;
  export default bm25;
}

declare module 'wink-nlp-utils' {
  const utilities: {
    string: {
      lowerCase(text: string): string;
      tokenize0(text: string): string[];
    };
    tokens: {
      removeWords(tokens: string[]): string[];
      stem(tokens: string[]): string[];
    };
  };
  export default utilities;
}
