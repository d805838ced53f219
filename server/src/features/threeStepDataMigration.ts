import * as path from 'node:path';
import { DetectedOperation } from '../core/autodetector';
import { pythonStringRepr } from '../core/deconstructed';
import { FixData } from '../core/problem';
import { PythonValue } from '../core/pythonValue';
import { FieldState, modelKey } from '../core/state';
import { MigrationProject } from '../project/migrationProject';
import { ModelsReading } from '../project/modelsResolver';

/** What to write for the field as the migration writer would: its text and the imports it needs. */
class Written {
  readonly imports = new Set<string>();
  /** `from django.conf import settings` is needed. */
  settings = false;
  /** Settings names of swappable models the field points at. */
  readonly swappable = new Set<string>();

  /** Python source for a field's value; undefined for what cannot be written (read opaquely). */
  value(value: PythonValue): string | undefined {
    switch (value.kind) {
      case 'str':
        return pythonStringRepr(value.value);
      case 'number':
        return value.text;
      case 'constant':
        return value.value === null ? 'None' : value.value ? 'True' : 'False';
      case 'list':
      case 'tuple':
      case 'set': {
        const items = this.all(value.items);
        if (!items) return undefined;
        if (value.kind === 'list') return `[${items.join(', ')}]`;
        if (value.kind === 'set') return items.length === 0 ? 'set()' : `{${items.join(', ')}}`;
        return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
      }
      case 'dict': {
        const entries = value.entries.map((e) => [this.value(e.key), this.value(e.value)]);
        if (entries.some(([k, v]) => k === undefined || v === undefined)) return undefined;
        return `{${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}}`;
      }
      case 'name':
        return this.path(value.dotted);
      case 'call': {
        const args = this.all(value.args);
        const kwargs = this.all(value.kwargs.map((k) => k.value));
        if (!args || !kwargs) return undefined;
        const parts = [...args, ...value.kwargs.map((k, i) => `${k.name}=${kwargs[i]}`)];
        return `${this.path(value.callee)}(${parts.join(', ')})`;
      }
      case 'opaque':
        return undefined;
    }
  }

  private all(values: readonly PythonValue[]): string[] | undefined {
    const written = values.map((v) => this.value(v));
    return written.every((w): w is string => w !== undefined) ? written : undefined;
  }

  /** A dotted path as the writer prints it: `models.X`, `settings.X`, else the full path with its module imported. */
  path(dotted: string): string {
    if (dotted.startsWith('settings.')) {
      this.settings = true;
      this.swappable.add(dotted.slice('settings.'.length));
      return dotted;
    }
    const models = /^django\.db\.models\.([A-Za-z_]\w*)$/.exec(dotted);
    if (models) return `models.${models[1]}`;
    const dot = dotted.lastIndexOf('.');
    if (dot > 0) this.imports.add(dotted.slice(0, dot));
    return dotted;
  }

  /** Django's writer's field: keyword arguments sorted by name. */
  field(field: FieldState, extra: readonly (readonly [string, string])[] = []): string | undefined {
    const args = this.all(field.args);
    const kwargs = [...field.kwargs].map(([name, value]) => [name, this.value(value)] as const);
    if (!args || kwargs.some(([, v]) => v === undefined)) return undefined;
    const keywords = [...kwargs.filter(([name]) => !extra.some(([e]) => e === name)), ...extra].sort(([a], [b]) => (a < b ? -1 : 1));
    return `${this.path(field.path)}(${[...args, ...keywords.map(([k, v]) => `${k}=${v}`)].join(', ')})`;
  }

  header(): string {
    const imports = [
      ...(this.settings ? ['from django.conf import settings'] : []),
      'from django.db import migrations, models',
      ...[...this.imports].map((module) => `import ${module}`),
    ];
    // The writer sorts its imports by the module they name.
    return imports.sort((a, b) => (a.split(' ')[1] < b.split(' ')[1] ? -1 : 1)).join('\n');
  }
}

/** Django's numbering: the leaf's number plus one, four digits. */
function nextNumber(leafName: string, offset: number): string {
  const number = /^\d+/.exec(leafName);
  return String((number ? Number(number[0]) : 0) + 1 + offset).padStart(4, '0');
}

/**
 * The three migrations that add a non-null field to a model with rows, as Django's docs write
 * them: AddField with `null=True`; RunPython filling every row through `apps.get_model` (the
 * value is the user's to choose, reversible with a noop); AlterField making it non-null. Undefined
 * when the field cannot be written statically or the app has no single leaf to follow.
 */
export function threeStepDataMigration(
  project: MigrationProject,
  reading: ModelsReading,
  operation: DetectedOperation,
): FixData | undefined {
  const app = project.project.apps.find((a) => a.label === operation.app);
  const directory = app?.migrationsDirectory;
  const fieldName = operation.field;
  const model = reading.state.models.get(modelKey(operation.app, operation.model));
  const field = fieldName ? model?.fields.get(fieldName) : undefined;
  if (!directory || !fieldName || !model || !field || field.unknown) return undefined;
  const leaves = project.loaderResult().graph.leafNodes(operation.app);
  if (leaves.length !== 1) return undefined;
  const leaf = leaves[0].slice(operation.app.length + 1);
  const lower = model.name.toLowerCase();

  const nullable = new Written();
  const nullableField = nullable.field(field, [['null', 'True']]);
  const final = new Written();
  const finalField = final.field(field);
  if (!nullableField || !finalField) return undefined;

  const names = [
    `${nextNumber(leaf, 0)}_${lower}_${fieldName}`,
    `${nextNumber(leaf, 1)}_fill_${lower}_${fieldName}`,
    `${nextNumber(leaf, 2)}_alter_${lower}_${fieldName}`,
  ];
  const dependencies = (previous: string, written?: Written) => [
    ...[...(written?.swappable ?? [])].map((setting) => `        migrations.swappable_dependency(settings.${setting}),`),
    ...relatedDependencies(project, field, operation.app).map(([a, n]) => `        (${pythonStringRepr(a)}, ${pythonStringRepr(n)}),`),
    `        (${pythonStringRepr(operation.app)}, ${pythonStringRepr(previous)}),`,
  ];
  const migration = (header: string, deps: string[], operations: string[], before: string[] = []) =>
    [
      header,
      '',
      '',
      ...before,
      'class Migration(migrations.Migration):',
      '',
      '    dependencies = [',
      ...deps,
      '    ]',
      '',
      '    operations = [',
      ...operations,
      '    ]',
      '',
    ].join('\n');
  const fieldOperation = (type: 'AddField' | 'AlterField', text: string) => [
    `        migrations.${type}(`,
    `            model_name=${pythonStringRepr(lower)},`,
    `            name=${pythonStringRepr(fieldName)},`,
    `            field=${text},`,
    '        ),',
  ];
  const fill = `fill_${fieldName}`;
  const files = [
    { name: names[0], text: migration(nullable.header(), dependencies(leaf, nullable), fieldOperation('AddField', nullableField)) },
    {
      name: names[1],
      text: migration(
        'from django.db import migrations',
        [`        (${pythonStringRepr(operation.app)}, ${pythonStringRepr(names[0])}),`],
        [`        migrations.RunPython(${fill}, migrations.RunPython.noop),`],
        [
          `def ${fill}(apps, schema_editor):`,
          `    """Give every existing ${model.name} a ${fieldName}, before the field becomes required."""`,
          `    ${model.name} = apps.get_model(${pythonStringRepr(operation.app)}, ${pythonStringRepr(model.name)})`,
          '    db_alias = schema_editor.connection.alias',
          `    value = None  # TODO: the ${fieldName} existing rows get.`,
          `    ${model.name}.objects.using(db_alias).filter(${fieldName}__isnull=True).update(${fieldName}=value)`,
          '',
          '',
        ],
      ),
    },
    { name: names[2], text: migration(final.header(), dependencies(names[1]), fieldOperation('AlterField', finalField)) },
  ];
  return {
    fix: 'write-files',
    title: `Add ${fieldName} in three migrations: nullable, filled by RunPython, then required (${names.join(', ')})`,
    files: files.map(({ name, text }) => ({ file: path.join(directory, `${name}.py`), text })),
  };
}

/** Apps the field points at (`to='app.Model'`): the AddField depends on their latest migration, as Django's does. */
function relatedDependencies(project: MigrationProject, field: FieldState, app: string): [string, string][] {
  const to = field.kwargs.get('to') ?? field.args[0];
  const target = to?.kind === 'str' ? to.value.split('.')[0] : undefined;
  if (!target || target === app) return [];
  const [leaf] = project.loaderResult().graph.leafNodes(target);
  return leaf ? [[target, leaf.slice(target.length + 1)]] : [];
}
