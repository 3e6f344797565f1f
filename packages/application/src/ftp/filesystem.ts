// The FTP server's in-memory file system: absolute slash-separated paths, directories and
// files of bytes, path resolution against a working directory ("..", "."), and the
// directory listing formats of LIST (ls -l style lines) and NLST (names) (RFC 959 §4.1.3).

export class MemoryFileSystem {
  private readonly files = new Map<string, Uint8Array>();
  private readonly directories = new Set<string>(['/']);

  constructor(initial: Readonly<Record<string, Uint8Array | string>> = {}) {
    for (const [path, data] of Object.entries(initial)) this.writeFile(this.resolve('/', path), typeof data === 'string' ? new TextEncoder().encode(data) : data, true);
  }

  /** Absolute, normalised path of `path` seen from `cwd`. */
  resolve(cwd: string, path: string): string {
    const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
    const out: string[] = [];
    for (const part of parts) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop();
      else out.push(part);
    }
    return `/${out.join('/')}`;
  }

  isDirectory(path: string): boolean {
    return this.directories.has(path);
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  readFile(path: string): Uint8Array | undefined {
    return this.files.get(path);
  }

  /** Write a file; its directory must exist unless `createParents`. Returns false when it cannot. */
  writeFile(path: string, data: Uint8Array, createParents = false): boolean {
    if (path === '/' || this.directories.has(path)) return false;
    const parent = parentOf(path);
    if (!this.directories.has(parent)) {
      if (!createParents) return false;
      this.mkdir(parent, true);
    }
    this.files.set(path, data);
    return true;
  }

  mkdir(path: string, recursive = false): boolean {
    if (this.directories.has(path) || this.files.has(path)) return false;
    const parent = parentOf(path);
    if (!this.directories.has(parent)) {
      if (!recursive || !this.mkdir(parent, true)) return false;
    }
    this.directories.add(path);
    return true;
  }

  deleteFile(path: string): boolean {
    return this.files.delete(path);
  }

  /** Entries directly inside `dir`, sorted by name. */
  entries(dir: string): { name: string; directory: boolean; size: number }[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    const out: { name: string; directory: boolean; size: number }[] = [];
    for (const d of this.directories) if (d !== dir && d.startsWith(prefix) && !d.slice(prefix.length).includes('/')) out.push({ name: d.slice(prefix.length), directory: true, size: 0 });
    for (const [f, data] of this.files) if (f.startsWith(prefix) && !f.slice(prefix.length).includes('/')) out.push({ name: f.slice(prefix.length), directory: false, size: data.length });
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** LIST output for a directory or a single file, CRLF-terminated lines. */
  listing(path: string): string {
    const items = this.isDirectory(path) ? this.entries(path) : [{ name: path.slice(path.lastIndexOf('/') + 1), directory: false, size: this.files.get(path)?.length ?? 0 }];
    return items.map((e) => `${e.directory ? 'drwxr-xr-x' : '-rw-r--r--'} 1 ftp ftp ${String(e.size).padStart(10)} Jan 01 00:00 ${e.name}\r\n`).join('');
  }

  nameListing(path: string): string {
    return this.entries(path)
      .map((e) => `${e.name}\r\n`)
      .join('');
  }
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
