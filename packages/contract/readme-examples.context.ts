// What the README's examples use without defining it. scripts/check-readme-examples.mjs gives these names
// to every example when it type-checks README.md; nothing here runs.
export declare const body: string;
export declare const requestId: string;
export declare const model: string;
export declare const scores: number[];
export declare const totalTokens: number;
export declare function reply(status: number, body: unknown): unknown;
