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

/** Collects a worker's results, encoding each file as it comes so that little is left for the end. */
export class WorkerResultsBuilder {
  private readonly files: SentFile[] = [];
  private readonly bodies: string[] = [];

  add(index: number, { parsed, ...file }: CheckedMigrationFile): void {
    this.files.push([index, { ...file, header: migrationHeader(parsed) }]);
    this.bodies.push(encodedBody(parsed));
  }

  results(): WorkerResults {
    return { files: JSON.stringify(this.files), bodies: this.bodies };
  }
}

export function decodeWorkerResults({ files, bodies }: WorkerResults): [index: number, file: CheckedMigrationFile][] {
  return (JSON.parse(files) as SentFile[]).map(([index, { header, ...file }], position) => {
    const body = bodies[position];
    return [index, { ...file, parsed: lazyParsedMigration(header, () => body) }];
  });
}
