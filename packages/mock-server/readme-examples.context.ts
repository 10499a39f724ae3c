// What the README's examples use without defining it. scripts/check-readme-examples.mjs gives these names
// to every example when it type-checks README.md; nothing here runs.
import type { RerankResponse } from '@sealink/rerank-contract';
import type { MockServer } from './src/index.ts';

export declare const mock: MockServer;
/** The application under test of the vitest example. */
export declare const myApp: {
  rankWith(options: { baseUrl: string; apiKey: string }): Promise<RerankResponse>;
};
export { createMockApp, startMockServer } from './src/index.ts';
