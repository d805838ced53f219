import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readCheckAnswer, writeCheckAnswer } from './checkAnswerCache';
import { CHECK_OPTIONS } from './checkOptions';
import { exitQuietlyOnClosedPipe } from './closedPipe';
import { parseCommandLine } from './commonOptions';
import type { InputRecorder } from './inputRecorder';

/**
 * The command line's entry, kept small: a `check --cache-dir` whose inputs all read as they did
 * prints the answer kept from an earlier run without loading the engine (`./main`, a bundle of
 * its own, run with its V8 code cache). Any other run loads the engine; a `check --cache-dir` is
 * recorded to keep its answer.
 */
/** Given by the bundle: the engine's files beside this one, and a digest of them all. */
declare const CLI_ENGINE_BUILD: { readonly digest: string; readonly files: readonly string[] } | undefined;
const engineBuild = typeof CLI_ENGINE_BUILD === 'object' ? CLI_ENGINE_BUILD : undefined;

function answerCacheFolder(argv: readonly string[]): string | undefined {
  const [command, ...rest] = argv;
  if (command !== 'check') return undefined;
  try {
    const { values } = parseCommandLine(rest, CHECK_OPTIONS);
    return values.help ? undefined : values['cache-dir'];
  } catch {
    // A usage error: the engine says what is wrong.
    return undefined;
  }
}

function run(argv: string[]): void {
  exitQuietlyOnClosedPipe();
  const cacheDirectory = answerCacheFolder(argv);
  const cwd = process.cwd();
  // Unbundled (tests of the compiled sources), the engine's files are inputs like any other.
  const engine = engineBuild?.digest ?? '';
  const answer = cacheDirectory === undefined ? undefined : readCheckAnswer(cacheDirectory, argv, cwd, engine);
  if (answer) {
    process.stderr.write(answer.stderr);
    process.stdout.write(answer.stdout);
    process.exitCode = answer.code;
    return;
  }
  const enginePath = path.join(__dirname, 'cliMain.js');
  // Bundled, the engine runs with its V8 code cache beside it: one more of the engine's files.
  const codeCache = engineBuild && (require('../cachedBundle') as typeof import('../cachedBundle'));
  const engineFiles =
    engineBuild && codeCache ? [...engineBuild.files.map((name) => path.join(__dirname, name)), codeCache.codeCacheFile(enginePath)] : [];
  let recorder: InputRecorder | undefined;
  if (cacheDirectory !== undefined) {
    recorder = (require('./inputRecorder') as typeof import('./inputRecorder')).InputRecorder.start([cacheDirectory], engineFiles);
    // This entry decides what a kept answer means: a new one is a new input.
    readFileSync(__filename);
  }
  const bundle = engineBuild && codeCache?.CachedBundle.load(enginePath, engineBuild.digest);
  const { main } = (bundle ? bundle.exports : require('./main')) as typeof import('./main');
  main(argv, recorder).then(
    (code) => {
      process.exitCode = code;
      const recorded = recorder?.stop();
      // Only a finished check is kept: a usage error or a failure is told again.
      if (recorded && cacheDirectory !== undefined && (code === 0 || code === 1))
        writeCheckAnswer(cacheDirectory, argv, cwd, engine, recorded, code);
      bundle?.keep();
    },
    (error: unknown) => {
      recorder?.stop();
      process.stderr.write(`django-migrations: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
      bundle?.keep();
    },
  );
}

run(process.argv.slice(2));
