import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SourceDecoding } from '../python/compileErrors';
import { PARSE_TIME_LIMIT_MS, ParseTimeLimitError, PythonParser } from '../python/pythonParser';
import { EDITED_TEXT_READERS, EditedTextKind, EditedTextRequest, EditedTextResult, ReadFrom } from './editedTextReaders';

/**
 * How long an edited file's parse may hold the server's thread: far above what an ordinary
 * migration or models module needs (a few milliseconds), far below what a user notices.
 */
export const MAIN_THREAD_SLICE_MS = 50;
/**
 * A text longer than this goes to a worker at once: reading a tree (positions, compile errors)
 * costs about what parsing it did, and only the parse can be cut short. Far above a hand-written
 * migration or models module; squashes in makemigrations' shape are read by the fast reader.
 */
export const MAX_TEXT_ON_THREAD = 200_000;
/** Beyond the time limit: a worker that has not answered by then (start-up included) is stopped. */
const WORKER_GRACE_MS = 10_000;

interface InFlight {
  readonly text: string;
  readonly result: Promise<unknown>;
  stop(): void;
}

/**
 * Reads the editor's text of a file without holding the server's thread beyond a short slice:
 * the parse runs here within `MAIN_THREAD_SLICE_MS`, and when that is not enough (or the text is
 * longer than `MAX_TEXT_ON_THREAD`) it runs on a worker thread within the full time limit, while
 * the server answers other requests. One read per file and kind at a time: a newer text stops the
 * older one's worker, whose result is dropped (undefined). The last result of each file is kept,
 * so asking again for the same text costs one comparison.
 */
export class EditedTextParser {
  private readonly inFlight = new Map<string, InFlight>();
  /** The last text read of each file and kind: told apart by comparison, cheaper than a hash of a huge text. */
  private readonly last = new Map<string, { readonly text: string; readonly result: unknown }>();

  /** False in a layout without the worker script (unbundled): the full limit then applies here, as for any parse. */
  private readonly withWorker: boolean;

  constructor(
    private readonly limitMs = PARSE_TIME_LIMIT_MS,
    private readonly sliceMs = Math.min(MAIN_THREAD_SLICE_MS, limitMs),
    private readonly workerScript = path.join(__dirname, 'editedTextWorker.js'),
  ) {
    this.withWorker = existsSync(workerScript);
  }

  /**
   * The reading of `text` (`file`'s text in the editor) for `kind`: at once when the slice is
   * enough, else a promise of it, undefined when a newer text came first.
   */
  read<K extends EditedTextKind>(
    kind: K,
    parser: PythonParser,
    file: string,
    text: string,
    decoding?: SourceDecoding,
    from?: ReadFrom,
  ): EditedTextResult<K> | Promise<EditedTextResult<K> | undefined> {
    const key = `${kind}\0${file}`;
    const last = this.last.get(key);
    if (last?.text === text) return last.result as EditedTextResult<K>;
    const running = this.inFlight.get(key);
    if (running?.text === text) return running.result as Promise<EditedTextResult<K> | undefined>;
    this.cancel(kind, file);
    const reader = EDITED_TEXT_READERS[kind];
    const onThread = () => {
      if (!this.withWorker) return reader.read(parser.withTimeLimit(this.limitMs), text, decoding, from) as EditedTextResult<K>;
      if (text.length > MAX_TEXT_ON_THREAD) return undefined;
      const slice = ranOutWatch(parser.withTimeLimit(this.sliceMs));
      const result = reader.read(slice.parser, text, decoding, from) as EditedTextResult<K>;
      return slice.ranOut() ? undefined : result;
    };
    const result = onThread();
    if (result !== undefined) {
      this.last.set(key, { text, result });
      return result;
    }
    const request: EditedTextRequest = { kind, text, decoding: decoding && plainDecoding(decoding), from, limitMs: this.limitMs };
    const worker = this.readOnWorker(request);
    const later = worker.result.then((read) => {
      if (this.inFlight.get(key) !== entry) return undefined;
      this.inFlight.delete(key);
      this.last.set(key, { text, result: read });
      return read as EditedTextResult<K>;
    });
    const entry: InFlight = { text, result: later, stop: worker.stop };
    this.inFlight.set(key, entry);
    return later;
  }

  /**
   * The reading of a file read from disk (project discovery: manage.py, settings, app configs),
   * as `read` gives it; a read dropped for a newer text of the file comes out as not read.
   */
  async readFile<K extends EditedTextKind>(kind: K, parser: PythonParser, from: ReadFrom, text: string): Promise<EditedTextResult<K>> {
    const read = await this.read(kind, parser, from.file, text, undefined, from);
    return read ?? (EDITED_TEXT_READERS[kind].notRead(`${from.file} changed while it was read`, from) as EditedTextResult<K>);
  }

  /**
   * Drops what is running or kept for a file (for one kind, or every kind): its text is back to
   * what was read before, or it closed.
   */
  cancel(kind: EditedTextKind | undefined, file: string): void {
    for (const each of kind ? [kind] : (Object.keys(EDITED_TEXT_READERS) as EditedTextKind[])) {
      const key = `${each}\0${file}`;
      const running = this.inFlight.get(key);
      this.inFlight.delete(key);
      this.last.delete(key);
      running?.stop();
    }
  }

  /** Stops every worker; their reads resolve undefined. */
  dispose(): void {
    for (const running of this.inFlight.values()) running.stop();
    this.inFlight.clear();
    this.last.clear();
  }

  private readOnWorker(request: EditedTextRequest): { result: Promise<unknown>; stop: () => void } {
    const reader = EDITED_TEXT_READERS[request.kind];
    let stop = () => undefined as void;
    const result = new Promise<unknown>((resolve) => {
      const worker = new Worker(this.workerScript, { workerData: request });
      let settled = false;
      const settle = (value: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        resolve(value);
      };
      const timer = setTimeout(
        () => settle(reader.notRead(new ParseTimeLimitError(this.limitMs).message, request.from)),
        this.limitMs + WORKER_GRACE_MS,
      );
      worker.once('message', settle);
      worker.once('error', (error) => settle(reader.notRead(`Parsing failed on its thread: ${error.message}`, request.from)));
      worker.once('exit', () => settle(reader.notRead('Parsing stopped before it ended', request.from)));
      stop = () => settle(undefined);
    });
    return { result, stop: () => stop() };
  }
}

/** A parser that remembers whether one of its parses ran out of time, whatever the reader made of it. */
function ranOutWatch(parser: PythonParser, flag = { ranOut: false }): { parser: PythonParser; ranOut: () => boolean } {
  const watch = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof ParseTimeLimitError) flag.ranOut = true;
      throw error;
    }
  };
  const watched: PythonParser = {
    parse: (text) => watch(() => parser.parse(text)),
    withTree: (text, read) => watch(() => parser.withTree(text, read)),
    withTimeLimit: (ms) => ranOutWatch(parser.withTimeLimit(ms), flag).parser,
    limitMs: parser.limitMs,
  };
  return { parser: watched, ranOut: () => flag.ranOut };
}

/** Only what a parse reads of a decoding: a SourceText also holds the whole text, which need not cross twice. */
function plainDecoding({ undecodable, encodingError }: SourceDecoding): SourceDecoding {
  return { undecodable, encodingError };
}
