// Types of ensure-built.js (plain JavaScript, so the command can run it before anything is built).
export declare const ROOT: string;
export declare function stalePackages(root?: string): string[];
export declare function build(root?: string): Promise<void>;
export declare function ensureBuilt(options?: { root?: string; log?: (line: string) => void }): Promise<string[]>;
