import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AnswerInput, FileContents, fileContentsUnchanged, inputsUnchanged } from './answerInputs';
import type { RecordedInputs } from './inputRecorder';

/** Bump when what is stored, or what an input's fingerprint means, changes. */
const ANSWER_FORMAT = 1;

/** The SHA-1 of the rest of the file, first: an answer changed on disk or cut short is not read. */
const CHECKSUM_LENGTH = 20;

/** What a `check` printed and its exit status. */
export interface CheckAnswer {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

interface StoredAnswer {
  readonly format: number;
  /** The command line, the folder it ran in and the runtime: the same run, or another answer. */
  readonly run: readonly string[];
  readonly salt: string;
  readonly inputs: readonly AnswerInput[];
  readonly files: FileContents;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What a run is, besides what it reads: the engine's digest (when the build gave one), the
 * Node.js it ran on, its working folder and its arguments.
 */
function runIdentity(argv: readonly string[], cwd: string, engine: string): string[] {
  return [engine, process.version, process.arch, process.platform, cwd, ...argv];
}

function answerFile(cacheDirectory: string, run: readonly string[]): string {
  const name = createHash('sha1').update(JSON.stringify(run)).digest('hex').slice(0, 16);
  return path.join(cacheDirectory, `check-answer-${name}.cache`);
}

/**
 * The answer a `check` with these arguments gave, when every file, folder, path and variable it
 * read reads the same now; undefined otherwise (or when there is none, or it is damaged).
 */
export function readCheckAnswer(cacheDirectory: string, argv: readonly string[], cwd: string, engine: string): CheckAnswer | undefined {
  const run = runIdentity(argv, cwd, engine);
  try {
    const file = readFileSync(answerFile(cacheDirectory, run));
    const body = file.subarray(CHECKSUM_LENGTH);
    if (!createHash('sha1').update(body).digest().equals(file.subarray(0, CHECKSUM_LENGTH))) return undefined;
    const stored = JSON.parse(body.toString('utf8')) as StoredAnswer;
    if (stored.format !== ANSWER_FORMAT || JSON.stringify(stored.run) !== JSON.stringify(run)) return undefined;
    if (!inputsUnchanged(stored.inputs, stored.salt) || !fileContentsUnchanged(stored.files)) return undefined;
    return { code: stored.code, stdout: Buffer.from(stored.stdout, 'base64'), stderr: Buffer.from(stored.stderr, 'base64') };
  } catch {
    return undefined;
  }
}

/**
 * Keeps the answer of a recorded run, unless the recorder refused it; atomically (a temporary file
 * of this process renamed into place), so a reader never sees half an answer.
 */
export function writeCheckAnswer(
  cacheDirectory: string,
  argv: readonly string[],
  cwd: string,
  engine: string,
  recorded: RecordedInputs,
  code: number,
): void {
  if (recorded.refusal !== undefined) return;
  const run = runIdentity(argv, cwd, engine);
  const file = answerFile(cacheDirectory, run);
  const stored: StoredAnswer = {
    format: ANSWER_FORMAT,
    run,
    salt: recorded.salt,
    inputs: recorded.inputs,
    files: recorded.files,
    code,
    stdout: recorded.stdout.toString('base64'),
    stderr: recorded.stderr.toString('base64'),
  };
  const body = Buffer.from(JSON.stringify(stored));
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(cacheDirectory, { recursive: true });
    writeFileSync(temporary, Buffer.concat([createHash('sha1').update(body).digest(), body]));
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
