// The modules themselves (default imports), not read-only copies of their exports: they are patched.
import childProcess from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import workerThreads from 'node:worker_threads';
import {
  ABSENT,
  AnswerInput,
  bytesFingerprint,
  entriesFingerprint,
  environmentFingerprint,
  fileContents,
  FileContents,
  InputKind,
  namesFingerprint,
  statFingerprint,
  wholeEnvironmentFingerprint,
} from './answerInputs';

/** What a recorded run read, or why its answer cannot be kept. */
export interface RecordedInputs {
  readonly salt: string;
  /** Every input but the files read whole. */
  readonly inputs: readonly AnswerInput[];
  /** The files read whole, with the bytes read. */
  readonly files: FileContents;
  /** Set when the run read something the recorder cannot see again (a process, a database...). */
  readonly refusal?: string;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Encodings whose decoding the recorder can encode back to the bytes that were read. */
const REVERSIBLE_ENCODINGS = new Set(['utf8', 'utf-8', 'latin1']);

type Patchable = Record<string, unknown>;

/**
 * Records every input of one run at the one place no read escapes, the `node:fs` module and the
 * environment, so that the key of a kept answer cannot miss a file a later change of the engine
 * starts reading: every file read (by its bytes), folder listed, path tested and variable read.
 * What it cannot see again cheaply (a child process, a worker thread, a socket, a native addon, a
 * file read through a descriptor) makes the run's answer one not to keep.
 */
export class InputRecorder {
  readonly salt = randomBytes(12).toString('base64');
  private readonly inputs = new Map<string, AnswerInput>();
  private readonly contents = new Map<string, Buffer>();
  private refusal: string | undefined;
  private readonly restores: (() => void)[] = [];
  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  /** Inside a recorded call: what `node:fs` calls of itself is not another read. */
  private depth = 0;

  /**
   * Paths under `ignored` (the cache folder: its files are checked entry by entry) and the
   * `ignoredFiles` (the engine's, when a digest of them keys the answer) are no input.
   */
  private constructor(
    private readonly ignored: readonly string[],
    private readonly ignoredFiles: ReadonlySet<string>,
  ) {}

  static start(ignored: readonly string[], ignoredFiles: Iterable<string> = []): InputRecorder {
    const recorder = new InputRecorder(
      ignored.map((folder) => path.resolve(folder)),
      new Set([...ignoredFiles].map((file) => path.resolve(file))),
    );
    recorder.install();
    return recorder;
  }

  /** Marks the run's answer as one not to keep. */
  refuse(reason: string): void {
    this.refusal ??= reason;
  }

  stop(): RecordedInputs {
    for (const restore of this.restores.splice(0).reverse()) restore();
    const inputs = [...this.inputs.values()];
    const read = inputs.filter(([kind, , fingerprint]) => kind === 'file' && fingerprint !== ABSENT);
    return {
      salt: this.salt,
      inputs: inputs.filter(([kind, , fingerprint]) => kind !== 'file' || fingerprint === ABSENT),
      files: fileContents(read.map(([, file]) => [file, this.contents.get(file)!])),
      refusal: this.refusal,
      stdout: Buffer.concat(this.stdout),
      stderr: Buffer.concat(this.stderr),
    };
  }

  private add(kind: InputKind, name: string, fingerprint: string): void {
    const key = `${kind}\0${name}`;
    const earlier = this.inputs.get(key);
    // The same input read twice with two results: the run saw a change happen, nothing to keep.
    if (earlier && earlier[2] !== fingerprint) this.refuse(`${name} changed during the run`);
    else this.inputs.set(key, [kind, name, fingerprint]);
  }

  /** The absolute path of a path argument; undefined (and the answer refused) for a descriptor or handle. */
  private pathOf(argument: unknown): string | undefined {
    if (typeof argument === 'string') return path.resolve(argument);
    if (Buffer.isBuffer(argument)) return path.resolve(argument.toString());
    if (argument instanceof URL) return fileURLToPath(argument);
    this.refuse('a file read through a descriptor');
    return undefined;
  }

  private isIgnored(file: string): boolean {
    return this.ignoredFiles.has(file) || this.ignored.some((folder) => file === folder || file.startsWith(folder + path.sep));
  }

  private patch(target: object, name: string, wrap: (original: (...args: unknown[]) => unknown) => unknown): void {
    const object = target as Patchable;
    const original = object[name] as (...args: unknown[]) => unknown;
    const wrapped = wrap(original) as Patchable;
    // What hangs on the function goes along, wrapped alike: `realpathSync.native`, and the
    // `util.promisify` form of `execFile`, which would otherwise call the original.
    for (const key of Reflect.ownKeys(original)) {
      if (key === 'length' || key === 'name' || key === 'prototype') continue;
      const value = (original as unknown as Patchable)[key as string];
      wrapped[key as string] = typeof value === 'function' ? wrap(value as (...args: unknown[]) => unknown) : value;
    }
    object[name] = wrapped;
    this.restores.push(() => (object[name] = original));
  }

  /**
   * Wraps a reading function: `fingerprint` turns its result into the input's fingerprint (a
   * failure reads as ABSENT). Synchronous and promise-returning functions alike.
   */
  private record(
    target: object,
    name: string,
    kind: (args: unknown[]) => InputKind | undefined,
    fingerprint: (result: unknown, args: unknown[], file: string) => string | undefined,
  ): void {
    this.patch(target, name, (original) => {
      const recorder = this;
      return function (this: unknown, ...args: unknown[]) {
        if (recorder.depth > 0) return original.apply(this, args);
        const file = recorder.pathOf(args[0]);
        const inputKind = kind(args);
        const note = (result: unknown, failed: boolean) => {
          if (file === undefined || recorder.isIgnored(file)) return;
          const value = inputKind === undefined ? undefined : failed ? ABSENT : fingerprint(result, args, file);
          if (inputKind === undefined || value === undefined) recorder.refuse(`${name} of ${file}`);
          else recorder.add(inputKind, file, value);
        };
        let result: unknown;
        recorder.depth++;
        try {
          result = original.apply(this, args);
        } catch (error) {
          note(undefined, true);
          throw error;
        } finally {
          recorder.depth--;
        }
        if (result instanceof Promise) {
          return result.then(
            (value: unknown) => {
              note(value, false);
              return value;
            },
            (error: unknown) => {
              note(undefined, true);
              throw error;
            },
          );
        }
        note(result, false);
        return result;
      };
    });
  }

  /** A function whose reads the recorder cannot follow: calling it refuses the answer. */
  private refusing(target: object, name: string, reason: string, applies: (args: unknown[]) => boolean = () => true): void {
    if (typeof (target as Patchable)[name] !== 'function') return;
    this.patch(target, name, (original) => {
      const recorder = this;
      return function (this: unknown, ...args: unknown[]) {
        if (recorder.depth === 0 && applies(args)) recorder.refuse(reason);
        return original.apply(this, args);
      };
    });
  }

  private install(): void {
    const fileKind = () => 'file' as const;
    const readBytes = (result: unknown, args: unknown[], file: string) => {
      const options = args[1];
      const encoding = typeof options === 'string' ? options : (options as { encoding?: string } | undefined)?.encoding;
      let bytes: Buffer | undefined;
      if (Buffer.isBuffer(result)) bytes = Buffer.from(result);
      else if (typeof result === 'string' && encoding && REVERSIBLE_ENCODINGS.has(encoding.toLowerCase()))
        bytes = Buffer.from(result, encoding as BufferEncoding);
      if (bytes === undefined) return undefined;
      // The first bytes read are kept: a second read of other bytes refuses the answer.
      if (!this.contents.has(file)) this.contents.set(file, bytes);
      return bytesFingerprint(bytes);
    };
    const listingKind = (args: unknown[]) => {
      const options = args[1] as { withFileTypes?: boolean; recursive?: boolean } | undefined;
      if (options?.recursive) return undefined;
      return options?.withFileTypes ? ('entries' as const) : ('names' as const);
    };
    const listing = (result: unknown) => {
      if (!Array.isArray(result)) return undefined;
      return result.every((entry) => entry instanceof fs.Dirent)
        ? entriesFingerprint(result as fs.Dirent[])
        : namesFingerprint(result as string[]);
    };
    const stat = (result: unknown) => (result === undefined ? ABSENT : statFingerprint(result as fs.Stats));
    const realPath = (result: unknown) => String(result);
    for (const [target, suffix] of [
      [fs, 'Sync'],
      [fs.promises, ''],
    ] as const) {
      this.record(target, `readFile${suffix}`, fileKind, readBytes);
      this.record(target, `readdir${suffix}`, listingKind, listing);
      this.record(target, `stat${suffix}`, () => 'stat', stat);
      this.record(target, `realpath${suffix}`, () => 'realpath', realPath);
    }
    this.record(
      fs,
      'existsSync',
      () => 'exists',
      (result) => String(result),
    );
    // Whether a file is there (the parser's wasm): any other mode is not followed.
    const existence = (args: unknown[]) => (args[1] === undefined || args[1] === fs.constants.F_OK ? ('access' as const) : undefined);
    this.record(fs, 'accessSync', existence, () => 'true');
    this.record(fs.promises, 'access', existence, () => 'true');
    const reading = (args: unknown[]) => {
      const flags = typeof args[1] === 'string' ? args[1] : 'r';
      return flags.startsWith('r');
    };
    for (const name of ['readFile', 'readdir', 'stat', 'lstat', 'exists', 'realpath', 'access', 'opendir', 'watch', 'watchFile'])
      this.refusing(fs, name, `fs.${name}`);
    for (const name of ['lstatSync', 'opendirSync', 'readlinkSync', 'createReadStream']) this.refusing(fs, name, `fs.${name}`);
    this.refusing(fs, 'openSync', 'fs.openSync', reading);
    this.refusing(fs, 'open', 'fs.open', reading);
    this.refusing(fs.promises, 'open', 'fs.promises.open', reading);
    for (const name of ['lstat', 'opendir', 'readlink', 'watch']) this.refusing(fs.promises, name, `fs.promises.${name}`);
    for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'])
      this.refusing(childProcess, name, 'a child process');
    this.refusing(net.Socket.prototype, 'connect', 'a connection');
    this.refusing(process, 'dlopen', 'a native addon');
    this.installWorkerGuard();
    this.installEnvironment();
    this.installOutput();
  }

  private installWorkerGuard(): void {
    const recorder = this;
    const Original = workerThreads.Worker;
    class RecordedWorker extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        recorder.refuse('a worker thread');
        super(...args);
      }
    }
    const module = workerThreads as unknown as Patchable;
    module.Worker = RecordedWorker;
    this.restores.push(() => (module.Worker = Original));
  }

  /** Each variable read, by name; a run that lists them all depends on them all. */
  private installEnvironment(): void {
    const original = process.env;
    const note = (name: string | symbol) => {
      if (typeof name === 'string') this.add('env', name, environmentFingerprint(original[name], this.salt));
    };
    let active = true;
    process.env = new Proxy(original, {
      get: (target, name) => {
        if (active) note(name);
        return Reflect.get(target, name);
      },
      has: (target, name) => {
        if (active) note(name);
        return Reflect.has(target, name);
      },
      getOwnPropertyDescriptor: (target, name) => {
        if (active) note(name);
        return Reflect.getOwnPropertyDescriptor(target, name);
      },
      ownKeys: (target) => {
        if (active) this.add('environment', '', wholeEnvironmentFingerprint(original, this.salt));
        return Reflect.ownKeys(target);
      },
    });
    this.restores.push(() => {
      active = false;
      process.env = original;
    });
  }

  /** What the run prints, on both streams, is the answer kept. */
  private installOutput(): void {
    for (const [stream, chunks] of [
      [process.stdout, this.stdout],
      [process.stderr, this.stderr],
    ] as const) {
      this.patch(stream, 'write', (original) => {
        return function (this: unknown, ...args: unknown[]) {
          const [chunk, encoding] = args;
          chunks.push(
            chunk instanceof Uint8Array
              ? Buffer.from(chunk)
              : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'),
          );
          return original.apply(this, args);
        };
      });
    }
  }
}
