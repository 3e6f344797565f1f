// node:fs for the page: an in-memory file store. A script (or the trace package's pcap
// writer) that writes a file in the browser gets it here, and the page offers each written
// file as a download. Reading a file that was never written fails as Node's would (ENOENT).

const files = new Map<string, Uint8Array>();

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
}

export function writeFileSync(path: string, data: string | Uint8Array): void {
  files.set(String(path), bytesOf(data));
}

export function readFileSync(path: string, encoding?: string): string | Uint8Array {
  const bytes = files.get(String(path));
  if (bytes === undefined) {
    const error = new Error(`ENOENT: no such file or directory, open '${path}'`) as Error & { code: string };
    error.code = 'ENOENT';
    throw error;
  }
  return encoding === undefined ? bytes : new TextDecoder().decode(bytes);
}

export function existsSync(path: string): boolean {
  return files.has(String(path));
}

/** The files written since the last call, emptied (the worker hands them to the page). */
export function takeWrittenFiles(): { path: string; bytes: Uint8Array }[] {
  const out = [...files].map(([path, bytes]) => ({ path, bytes }));
  files.clear();
  return out;
}

export default { writeFileSync, readFileSync, existsSync };
