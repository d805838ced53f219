import { encodedBody, lazyParsedMigration, MigrationHeader, migrationHeader } from './lazyParsedMigration';
import { CheckedMigrationFile } from './parsedMigrationFile';

/**
 * Checked migration files as they cross from a worker thread: one JSON string of everything the
 * graph and the checks read, and each file's body as a string of its own, decoded on first use.
 * Copying strings is cheap; decoding every body on the main thread would cost what the worker saved.
 */
export interface WorkerResults {
  readonly files: string;
  readonly bodies: readonly string[];
}

type SentFile = [index: number, file: Omit<CheckedMigrationFile, 'parsed'> & { readonly header: MigrationHeader }];

export function encodeWorkerResults(results: readonly [index: number, file: CheckedMigrationFile][]): WorkerResults {
  const files: SentFile[] = results.map(([index, { parsed, ...file }]) => [index, { ...file, header: migrationHeader(parsed) }]);
  return { files: JSON.stringify(files), bodies: results.map(([, { parsed }]) => encodedBody(parsed)) };
}

export function decodeWorkerResults({ files, bodies }: WorkerResults): [index: number, file: CheckedMigrationFile][] {
  return (JSON.parse(files) as SentFile[]).map(([index, { header, ...file }], position) => {
    const body = bodies[position];
    return [index, { ...file, parsed: lazyParsedMigration(header, () => body) }];
  });
}
