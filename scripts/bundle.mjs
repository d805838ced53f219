// Bundles the client, the language server and the CLI with esbuild, and puts the files they load
// at run time (tree-sitter wasm, the Django helper script) beside them in dist/.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(root, 'dist');
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: process.env.MINIFY !== '0',
  logLevel: 'warning',
  // Native and WebAssembly drivers load their own files at run time.
  external: ['vscode', 'better-sqlite3', 'pg-native'],
  // web-tree-sitter locates itself through import.meta.url, which a CommonJS bundle lacks.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

/**
 * The CLI's entry (`cli.js`) answers a `check` from its cache without loading the engine: its
 * `require('./main')` is left to run time, where it loads the engine's bundle, `cliMain.js`.
 */
const cliEngineApart = {
  name: 'cli-engine-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/main$/ }, () => ({ path: './cliMain.js', external: true }));
  },
};

/** The same for the language server: its entry (`server.js`) runs its bundle, `serverMain.js`. */
const serverApart = {
  name: 'server-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/serverMain$/ }, () => ({ path: './serverMain.js', external: true }));
  },
};

/**
 * web-tree-sitter's CommonJS build, as the compiled sources load it: its ES module build imports
 * `module` to make a `require` of its own, which a bundle without `import()` cannot.
 */
const commonJsTreeSitter = {
  name: 'common-js-tree-sitter',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

/**
 * A bundle its entry runs as a script with a V8 code cache (`server/src/cachedBundle.ts`), where an
 * `import()` has no loader to turn to (and none that survives the cache on Node 20): every one
 * becomes a require.
 */
const cachedBundle = { supported: { 'dynamic-import': false }, plugins: [commonJsTreeSitter] };

await Promise.all([
  esbuild.build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(dist, 'client.js') }),
  esbuild.build({
    ...common,
    ...cachedBundle,
    entryPoints: [join(root, 'server/src/serverMain.ts')],
    outfile: join(dist, 'serverMain.js'),
  }),
  esbuild.build({ ...common, ...cachedBundle, entryPoints: [join(root, 'server/src/cli/main.ts')], outfile: join(dist, 'cliMain.js') }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/project/parseWorker.ts')], outfile: join(dist, 'parseWorker.js') }),
  esbuild.build({
    ...common,
    entryPoints: [join(root, 'server/src/project/editedTextWorker.ts')],
    outfile: join(dist, 'editedTextWorker.js'),
  }),
  esbuild.build({ ...common, entryPoints: [join(root, 'server/src/db/sqliteReadWorker.ts')], outfile: join(dist, 'sqliteReadWorker.js') }),
]);

/**
 * esbuild writes every non-ASCII character as an escape except inside a regular expression, and
 * mysql2 has one there. One is enough for V8 to hold a whole bundle as a two-byte string, which is
 * slower to read, to check against its code cache and to compile at every start: each becomes the
 * escape esbuild writes elsewhere. (Only the first bundles; the entries built below import none.)
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  const escaped = text.replace(/[^\x00-\x7f]/g, (character, offset) => {
    // After a backslash, an escape would itself be escaped: stop rather than change the code.
    if (text[offset - 1] === '\\') throw new Error(`${file}: an escaped non-ASCII character at ${offset}`);
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  writeFileSync(file, escaped);
}
for (const name of readdirSync(dist)) if (name.endsWith('.js')) asciiOnly(join(dist, name));

const runtimeFiles = [
  require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  require.resolve('sql.js/dist/sql-wasm.wasm'),
  join(root, 'server/src/django/djangoHelper.py'),
];
for (const file of runtimeFiles) {
  if (existsSync(file)) copyFileSync(file, join(dist, file.split('/').pop()));
}

// The entry names the engine's files and one digest of them all: a kept answer is keyed by the
// digest, so a hit need not read the engine's megabytes again.
const engineFiles = ['cliMain.js', 'parseWorker.js', 'sqliteReadWorker.js', ...runtimeFiles.map((file) => file.split('/').pop())];
const engineDigest = createHash('sha1');
for (const name of engineFiles) engineDigest.update(`${name}\0`).update(readFileSync(join(dist, name)));
const serverDigest = createHash('sha1').update(readFileSync(join(dist, 'serverMain.js')));
await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [join(root, 'server/src/cli/cli.ts')],
    outfile: join(dist, 'cli.js'),
    plugins: [cliEngineApart],
    define: { ...common.define, CLI_ENGINE_BUILD: JSON.stringify({ digest: engineDigest.digest('base64'), files: engineFiles }) },
  }),
  // The server's entry names its bundle by digest, with which the code cache beside it is stamped.
  esbuild.build({
    ...common,
    entryPoints: [join(root, 'server/src/server.ts')],
    outfile: join(dist, 'server.js'),
    plugins: [serverApart],
    define: { ...common.define, SERVER_MAIN_BUILD: JSON.stringify(serverDigest.digest('base64')) },
  }),
]);
