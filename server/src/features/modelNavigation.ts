import { Hover, Location, MarkupKind, Position } from 'vscode-languageserver/node';
import { generatePlan } from '../core/makeState';
import { HistoryEntry, modelHistory } from '../core/modelHistory';
import { stringArgument } from '../core/operations/stateArguments';
import { lastNamePart } from '../core/pythonValue';
import { containsPosition, SourceRange } from '../core/sourceRange';
import { modelKey } from '../core/state';
import { MigrationProject } from '../project/migrationProject';
import { ModelSource, ModelsReading } from '../project/modelsResolver';
import { pathToUri } from './fileUri';
import { historyLocations, historyMarkdown } from './modelHistory';

/** One project's models as read now. */
export interface ProjectReading {
  readonly project: MigrationProject;
  readonly reading: ModelsReading;
}

/** A model, or one of its fields, declared at the cursor in a models module. */
interface Declaration {
  readonly project: MigrationProject;
  readonly source: ModelSource;
  readonly field?: string;
  readonly range: SourceRange;
}

/**
 * What the cursor is on in a models module: a model's class name, or a field's assignment. A
 * field written in an abstract base is a field of every model that inherits it.
 */
function declarationsAt(readings: readonly ProjectReading[], file: string, position: Position): Declaration[] {
  const found: Declaration[] = [];
  for (const { project, reading } of readings) {
    for (const source of reading.sources.values()) {
      if (source.file === file && containsPosition(source.nameRange, position)) {
        found.push({ project, source, range: source.nameRange });
        continue;
      }
      for (const [name, field] of source.fields) {
        // Fields Django creates (`id`, `<parent>_ptr`) have no declaration of their own.
        if (field.argumentsEnd && field.file === file && containsPosition(field.range, position))
          found.push({ project, source, field: name, range: field.range });
      }
    }
  }
  return found;
}

/** The model's (or field's) life in the migrations, read back from the end of its app's plan. */
function leafHistory({ project, source, field }: Declaration): HistoryEntry[] {
  const { graph } = project.loaderResult();
  const plan = generatePlan(graph, graph.leafNodes(), true);
  const start = [...plan].reverse().find((key) => key.startsWith(`${source.app}.`));
  if (!start) return [];
  return modelHistory(plan, (key) => graph.nodes.get(key), { key: start, app: source.app, model: source.name, field });
}

/** Hover on a model or field in a models module: the migrations that made it what it is. */
export function modelsHover(readings: readonly ProjectReading[], file: string, position: Position): Hover | null {
  const declarations = declarationsAt(readings, file, position);
  if (declarations.length === 0) return null;
  const sections = declarations.map((declaration) => {
    const { source, field } = declaration;
    const title = field ? `Field **${source.app}.${source.name}.${field}**` : `Model **${source.app}.${source.name}**`;
    const history = historyMarkdown(declaration.project, leafHistory(declaration));
    const none = `No migration of \`${source.app}\` has it yet.`;
    return [title, '', ...(history.length > 0 ? history : [none])].join('\n');
  });
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n') }, range: declarations[0].range };
}

/** References of a model or field in a models module: every operation that touched it, through renames. */
export function modelsReferences(
  readings: readonly ProjectReading[],
  file: string,
  position: Position,
  includeDeclaration: boolean,
): Location[] {
  const locations: Location[] = [];
  for (const declaration of declarationsAt(readings, file, position)) {
    if (includeDeclaration) locations.push({ uri: pathToUri(file), range: declaration.range });
    locations.push(...historyLocations(leafHistory(declaration)));
  }
  return locations;
}

/**
 * The declaration in a models module of a model (or field) named in a migration. `history` is
 * its life through the plan, both ways from the migration: the names it has at the end of the
 * plan, after every rename that follows, are the names the models module gives it.
 */
export function modelDeclaration(
  reading: ModelsReading | undefined,
  target: { readonly app: string; readonly model: string; readonly field?: string },
  history: readonly HistoryEntry[],
): Location | undefined {
  if (!reading) return undefined;
  let model = target.model.toLowerCase();
  let field = target.field;
  for (const entry of history) {
    const type = lastNamePart(entry.call.callee);
    if (type === 'RenameModel' && stringArgument(entry.call, 0, 'old_name')?.toLowerCase() === model)
      model = stringArgument(entry.call, 1, 'new_name')?.toLowerCase() ?? model;
    if (type === 'RenameField' && field !== undefined && stringArgument(entry.call, 1, 'old_name') === field)
      field = stringArgument(entry.call, 2, 'new_name') ?? field;
  }
  const source = reading.sources.get(modelKey(target.app, model));
  if (!source) return undefined;
  if (field === undefined) return { uri: pathToUri(source.file), range: source.nameRange };
  const declared = source.fields.get(field);
  return declared?.argumentsEnd ? { uri: pathToUri(declared.file), range: declared.range } : undefined;
}
