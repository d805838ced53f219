import { ParsedMigration } from '../core/migration';

/** What the loader reads of every migration. */
const HEADER_FIELDS = [
  'hasMigrationClass',
  'dependencies',
  'replaces',
  'runBefore',
  'initial',
  'atomic',
  'runPythonImports',
] as const satisfies readonly (keyof ParsedMigration)[];

/**
 * The rest: read by the per-file checks, by the graph checks only where they found a problem,
 * and by editor features one file at a time.
 */
const BODY_FIELDS = [
  'classRange',
  'classNameRange',
  'attributeRanges',
  'operations',
  'dynamic',
  'syntaxErrors',
  'importFailures',
  'imports',
  'functions',
] as const satisfies readonly (keyof ParsedMigration)[];

export type MigrationHeader = Pick<ParsedMigration, (typeof HEADER_FIELDS)[number]>;
type MigrationBody = Pick<ParsedMigration, (typeof BODY_FIELDS)[number]>;

// Every field of ParsedMigration is in exactly one part: this fails to compile otherwise.
type Unsplit = Exclude<keyof ParsedMigration, keyof MigrationHeader | keyof MigrationBody>;
const everyFieldSplit: [Unsplit] extends [never] ? true : never = true;
void everyFieldSplit;

export function migrationHeader(parsed: ParsedMigration): MigrationHeader {
  return pick(parsed, HEADER_FIELDS);
}

/** The body as JSON text: kept as it came when the migration is lazy, so nothing is decoded. */
export function encodedBody(parsed: ParsedMigration): string {
  return parsed instanceof LazyParsedMigration ? parsed.bodyText() : JSON.stringify(pick(parsed, BODY_FIELDS));
}

function pick<K extends keyof ParsedMigration>(parsed: ParsedMigration, fields: readonly K[]): Pick<ParsedMigration, K> {
  return Object.fromEntries(fields.map((field) => [field, parsed[field]])) as Pick<ParsedMigration, K>;
}

/**
 * A ParsedMigration whose body (JSON text from the parse cache or a parsing thread) is decoded
 * the first time one of its fields is read. A class, so that thousands of them share one shape
 * and their getters live on the prototype.
 */
class LazyParsedMigration implements ParsedMigration {
  readonly hasMigrationClass: boolean;
  readonly dependencies: ParsedMigration['dependencies'];
  readonly replaces: ParsedMigration['replaces'];
  readonly runBefore: ParsedMigration['runBefore'];
  readonly initial: ParsedMigration['initial'];
  readonly atomic: boolean;
  readonly runPythonImports: ParsedMigration['runPythonImports'];
  private decoded: MigrationBody | undefined;

  constructor(
    header: MigrationHeader,
    readonly bodyText: () => string,
  ) {
    this.hasMigrationClass = header.hasMigrationClass;
    this.dependencies = header.dependencies;
    this.replaces = header.replaces;
    this.runBefore = header.runBefore;
    this.initial = header.initial;
    this.atomic = header.atomic;
    this.runPythonImports = header.runPythonImports;
  }

  private get body(): MigrationBody {
    return (this.decoded ??= JSON.parse(this.bodyText()) as MigrationBody);
  }

  get classRange() {
    return this.body.classRange;
  }
  get classNameRange() {
    return this.body.classNameRange;
  }
  get attributeRanges() {
    return this.body.attributeRanges;
  }
  get operations() {
    return this.body.operations;
  }
  get dynamic() {
    return this.body.dynamic;
  }
  get syntaxErrors() {
    return this.body.syntaxErrors;
  }
  get importFailures() {
    return this.body.importFailures;
  }
  get imports() {
    return this.body.imports;
  }
  get functions() {
    return this.body.functions;
  }
}

/** A migration from its header and its body's JSON text (`encodedBody`), read on first use. */
export function lazyParsedMigration(header: MigrationHeader, bodyText: () => string): ParsedMigration {
  return new LazyParsedMigration(header, bodyText);
}
