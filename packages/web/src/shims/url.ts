// node:url for the page: the two helpers scripts use to turn paths into file: URLs and back.

export function pathToFileURL(path: string): URL {
  return new URL(`file://${path.startsWith('/') ? '' : '/'}${path}`);
}

export function fileURLToPath(url: string | URL): string {
  return decodeURIComponent(new URL(String(url)).pathname);
}

export default { pathToFileURL, fileURLToPath };
