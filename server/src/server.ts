import * as path from 'node:path';
import { CachedBundle } from './cachedBundle';

/**
 * The language server's entry, kept small: the server is a bundle of its own (`serverMain.js`),
 * run with its V8 code cache beside it, since compiling its megabytes is much of the wait for the
 * server at every editor window's start. Unbundled (the compiled sources), a plain require.
 */
/** Given by the bundle: a digest of the server's bundle. */
declare const SERVER_MAIN_BUILD: string | undefined;
const build = typeof SERVER_MAIN_BUILD === 'string' ? SERVER_MAIN_BUILD : undefined;

/**
 * How long after the first index the cache is written: once the editor has pulled the diagnostics
 * the index announced, so that their code goes in too, and not while it waits for them (the
 * write takes tens of milliseconds, once).
 */
const KEEP_DELAY_MS = 1_000;

const bundle = build === undefined ? undefined : CachedBundle.load(path.join(__dirname, 'serverMain.js'), build);
const { startServer } = (bundle ? bundle.exports : require('./serverMain')) as typeof import('./serverMain');
if (bundle) {
  // A session that ends sooner keeps the cache as it ends.
  process.once('exit', () => bundle.keep());
  startServer(() => setTimeout(() => bundle.keep(), KEEP_DELAY_MS).unref());
} else {
  startServer();
}
