// What the README's examples use without defining it. scripts/check-readme-examples.mjs gives these names
// to every example when it type-checks README.md; nothing here runs.
import type { Agent } from 'undici';
import type { RerankRequest, SeaLink } from './src/index.ts';

export declare const client: SeaLink;
export declare const params: RerankRequest;
export declare const myUndiciAgent: Agent;
export declare const query: string;
export declare const fiveThousandDocuments: string[];
export { SeaLink } from './src/index.ts';
