import { ParsedMigration } from '../core/migration';

/** What the loader and the graph checks read of every migration. */
const HEADER_FIELDS = [
  'hasMigrationClass',
  'classRange',
  'classNameRange',
  'dependencies',
  'replaces',
  'runBefore',
  'initial',
  'atomic',
  'attributeRanges',
] as const satisfies readonly (keyof ParsedMigration)[];

/** The rest: read by the per-file checks and by editor features on one file at a time. */
const BODY_FIELDS = ['operations', 'dynamic', 'syntaxErrors', 'imports', 'functions'] as const satisfies readonly (keyof ParsedMigration)[];

export type MigrationHeader = Pick<ParsedMigration, (typeof HEADER_FIELDS)[number]>;
export type MigrationBody = Pick<ParsedMigration, (typeof BODY_FIELDS)[number]>;

// Every field of ParsedMigration is in exactly one part: this fails to compile otherwise.
type Unsplit = Exclude<keyof ParsedMigration, keyof MigrationHeader | keyof MigrationBody>;
const everyFieldSplit: [Unsplit] extends [never] ? true : never = true;
void everyFieldSplit;

export function migrationHeader(parsed: ParsedMigration): MigrationHeader {
  return pick(parsed, HEADER_FIELDS);
}

export function migrationBody(parsed: ParsedMigration): MigrationBody {
  return pick(parsed, BODY_FIELDS);
}

function pick<K extends keyof ParsedMigration>(parsed: ParsedMigration, fields: readonly K[]): Pick<ParsedMigration, K> {
  return Object.fromEntries(fields.map((field) => [field, parsed[field]])) as Pick<ParsedMigration, K>;
}

/** A ParsedMigration whose body is decoded the first time one of its fields is read. */
export function lazyParsedMigration(header: MigrationHeader, decodeBody: () => MigrationBody): ParsedMigration {
  let body: MigrationBody | undefined;
  const read = () => (body ??= decodeBody());
  return {
    ...header,
    get operations() {
      return read().operations;
    },
    get dynamic() {
      return read().dynamic;
    },
    get syntaxErrors() {
      return read().syntaxErrors;
    },
    get imports() {
      return read().imports;
    },
    get functions() {
      return read().functions;
    },
  };
}
