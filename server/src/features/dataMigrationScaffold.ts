import { ParsedMigration } from '../core/migration';
import { SourceRange } from '../core/sourceRange';
import { DataMigrationScaffoldAnswer } from '../../../protocol/index';

export interface DataMigrationScaffoldOptions {
  readonly app: string;
  /** Models to load with `apps.get_model`; none gives a commented example. */
  readonly models: readonly string[];
}

/**
 * Turns the empty migration `makemigrations --empty` wrote into a data migration: a forwards and
 * a backwards function that load historical models with `apps.get_model`, run by
 * `migrations.RunPython(forwards, backwards)`, so the migration can be unapplied. Django's header,
 * imports and dependencies stay as written.
 */
export function dataMigrationScaffold(
  text: string,
  parsed: ParsedMigration,
  options: DataMigrationScaffoldOptions,
): DataMigrationScaffoldAnswer {
  const operations = parsed.attributeRanges.operations;
  if (!parsed.hasMigrationClass || !parsed.classRange || !operations) {
    return { ok: false, message: 'The file has no Migration class with an operations list.' };
  }
  if (parsed.operations.length > 0)
    return { ok: false, message: 'The migration already has operations; only an empty migration is turned into a data migration.' };
  if (!parsed.imports.some((entry) => entry.module === 'django.db' && entry.names.includes('migrations'))) {
    return { ok: false, message: 'The migration does not import migrations from django.db.' };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const taken = new Set(parsed.functions.map((entry) => entry.name));
  const forwards = freeName('forwards', taken);
  const backwards = freeName('backwards', taken);
  const indent = ' '.repeat(operations.start.character);
  const functions = [
    ...dataFunction(forwards, 'Change the data. apps.get_model gives each model as it is at this point of the migrations.', options),
    '',
    '',
    ...dataFunction(backwards, `Undo what ${forwards}() changed, so that the migration can be unapplied.`, options),
    '',
    '',
    '',
  ].join(eol);
  const runPython = [`operations = [`, `${indent}    migrations.RunPython(${forwards}, ${backwards}),`, `${indent}]`].join(eol);
  const classStart = offsetOf(text, { line: parsed.classRange.start.line, character: 0 });
  const [start, end] = [offsetOf(text, operations.start), offsetOf(text, operations.end)];
  return { ok: true, text: text.slice(0, classStart) + functions + text.slice(classStart, start) + runPython + text.slice(end) };
}

function dataFunction(name: string, docstring: string, { app, models }: DataMigrationScaffoldOptions): string[] {
  const loads =
    models.length > 0
      ? models.map((model) => `    ${model} = apps.get_model('${app}', '${model}')`)
      : [`    # Model = apps.get_model('${app}', 'Model')`];
  const example = models.length > 0 ? `${models[0]}.objects.using(db_alias)` : 'Model.objects.using(db_alias)';
  return [
    `def ${name}(apps, schema_editor):`,
    `    """${docstring}"""`,
    ...loads,
    '    db_alias = schema_editor.connection.alias',
    `    # for obj in ${example}.all(): ...`,
  ];
}

function freeName(base: string, taken: ReadonlySet<string>): string {
  let name = base;
  for (let index = 2; taken.has(name); index++) name = `${base}_${index}`;
  return name;
}

/** Offset in `text` of a zero-based line and UTF-16 character, as the parser reports them. */
function offsetOf(text: string, position: SourceRange['start']): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const newline = text.indexOf('\n', offset);
    if (newline < 0) return text.length;
    offset = newline + 1;
  }
  return Math.min(offset + position.character, text.length);
}
