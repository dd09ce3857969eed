// Types of scripts/cli-bundle.mjs (the command-line bundle and its freshness check), for the TypeScript callers.
export declare const BUNDLE: string;
export declare function bundleIsFresh(root: string): boolean;
export declare function buildCliBundle(root: string, opts?: { logLevel?: 'silent' | 'warning' | 'error' }): Promise<{ built: boolean; manifest: boolean }>;
