import { fileURLToPath, pathToFileURL } from 'node:url';

/** LSP speaks URIs, the project model absolute paths; these two are the only bridge. */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}
