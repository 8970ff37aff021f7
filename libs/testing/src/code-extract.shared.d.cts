// The types of code-extract.shared.cjs (plain CommonJS, shared with the benchmarks), for code-extract.ts.
export declare function extractCode(text: string | undefined | null, length?: number): string | undefined;
