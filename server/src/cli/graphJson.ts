import * as path from 'node:path';
import { MigrationExecutor } from '../core/executor';
import { MigrationGraph } from '../core/graph';
import { detectConflicts } from '../core/loader';
import { Migration, MigrationKey, splitMigrationKey } from '../core/migration';
import { operationSemantics } from '../core/operations/index';
import { MigrationProject } from '../project/migrationProject';

/** The `graph --json` document; its shape is documented in docs/graph-json.md. */
export interface GraphJson {
  nodes: NodeJson[];
  graph: GraphShapeJson;
  graph_replaced: GraphShapeJson;
  applied: string[];
  conflicts: Record<string, string[]>;
  plan_from_zero: [string, string][];
  errors: { type: string; message: string; node?: [string, string] }[];
}

interface NodeJson {
  app: string;
  name: string;
  file: string;
  /** `[null, '__first__']`: a swappable dependency on a setting whose value is unknown. */
  dependencies: [string | null, string][];
  replaces: [string, string][];
  run_before: [string, string][];
  initial: boolean | null;
  atomic: boolean;
  operations: { type: string; describe: string; reversible: boolean }[];
}

interface GraphShapeJson {
  nodes: string[];
  edges: [string, string][];
  leaf_nodes: Record<string, string[]>;
  root_nodes: Record<string, string[]>;
}

/**
 * The document describes the project: apps whose migrations live outside its folder (read through
 * `--python`) take part in building the graph but their keys are left out, except on edges that
 * reach a project node.
 */
export function graphJson(project: MigrationProject): GraphJson {
  const root = project.project.root;
  const outside = new Set(
    project.project.apps.filter((app) => app.migrationsDirectory && !isInside(app.migrationsDirectory, root)).map((app) => app.label),
  );
  const inProject = (key: MigrationKey) => !outside.has(splitMigrationKey(key)[0]);
  const raw = project.buildGraph(false);
  const replaced = project.analyse().loaded;
  const empty = project.unappliedLoaderResult();
  const firstError = replaced.errors[0];
  return {
    nodes: [...raw.diskMigrations.values()]
      .filter((migration) => !outside.has(migration.appLabel))
      .sort((a, b) => compare(a.appLabel, b.appLabel) || compare(a.name, b.name))
      .map((migration) => nodeJson(migration, root, project)),
    graph: shapeJson(raw.graph, inProject),
    graph_replaced: shapeJson(replaced.graph, inProject),
    applied: [...replaced.appliedMigrations.keys()].filter(inProject).sort(),
    conflicts: Object.fromEntries(
      [...detectConflicts(replaced.graph)].filter(([app]) => !outside.has(app)).sort(([a], [b]) => compare(a, b)),
    ),
    plan_from_zero:
      empty.errors.length > 0
        ? []
        : new MigrationExecutor(empty)
            .migrationPlan(empty.graph.leafNodes(), { cleanStart: true })
            .map((step) => splitMigrationKey(step.key))
            .filter(([app]) => !outside.has(app)),
    errors: firstError
      ? [
          {
            type: firstError.type,
            message: firstError.message,
            ...('node' in firstError ? { node: splitMigrationKey(firstError.node) } : {}),
          },
        ]
      : [],
  };
}

function nodeJson(migration: Migration, root: string, project: MigrationProject): NodeJson {
  const parsed = migration.parsed;
  return {
    app: migration.appLabel,
    name: migration.name,
    file: path.relative(root, migration.path).split(path.sep).join('/'),
    // A swappable dependency whose setting is unknown has no app label: null, never a guess.
    dependencies: parsed.dependencies.map((entry): [string | null, string] => {
      if (entry.target.kind === 'key') return [entry.target.app, entry.target.name];
      const model = project.project.swappableSettings.get(entry.target.setting);
      return [model ? model.split('.', 1)[0] : null, '__first__'];
    }),
    replaces: parsed.replaces.map((r): [string, string] => [r.app, r.name]),
    run_before: parsed.runBefore.map((r): [string, string] => [r.app, r.name]),
    initial: parsed.initial,
    atomic: parsed.atomic,
    operations: parsed.operations.map((operation) => {
      const semantics = operationSemantics(operation.type, project.djangoVersion);
      return { type: operation.type, describe: semantics.describe(operation.call), reversible: semantics.reversible(operation.call) };
    }),
  };
}

function shapeJson(graph: MigrationGraph, inProject: (key: MigrationKey) => boolean): GraphShapeJson {
  const edges: [string, string][] = [];
  for (const node of graph.nodeMap.values()) {
    for (const parent of node.parents) {
      if (inProject(node.key) || inProject(parent.key)) edges.push([node.key, parent.key]);
    }
  }
  return {
    nodes: [...graph.nodes.keys()].filter(inProject).sort(),
    edges: edges.sort(([a1, a2], [b1, b2]) => compare(a1, b1) || compare(a2, b2)),
    leaf_nodes: byApp(graph.leafNodes().filter(inProject)),
    root_nodes: byApp(graph.rootNodes().filter(inProject)),
  };
}

function byApp(keys: MigrationKey[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const key of keys) {
    const [app, name] = splitMigrationKey(key);
    (result[app] ??= []).push(name);
  }
  return result;
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
