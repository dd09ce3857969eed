// Types of scripts/cli-bundle.mjs (the command-line bundle and its freshness check), for the TypeScript callers.
export declare const BUNDLE: string;
export declare function bundleIsFresh(root: string): boolean;
export declare function buildCliBundle(root: string, opts?: { logLevel?: 'silent' | 'warning' | 'error' }): Promise<{ built: boolean; manifest: boolean }>;
/** esbuild's options for a CommonJS bundle run as the CLI's is (from bin/code-cache.js). */
export declare const CJS_BUNDLE_OPTIONS: import('esbuild').BuildOptions;
