import { compareKeys } from './graph';
import { LoaderResult } from './loader';
import { MigrationKey, migrationKey, splitMigrationKey } from './migration';

/** As `migrate` takes them: `[app, name]`, or `[app, null]` to unapply all of the app. */
export type MigrationTarget = readonly [app: string, name: string | null];

export interface PlanStep {
  readonly key: MigrationKey;
  readonly backwards: boolean;
}

/** Django's MigrationExecutor (django/db/migrations/executor.py), for what needs no database. */
export class MigrationExecutor {
  constructor(readonly loader: LoaderResult) {}

  /**
   * `migration_plan`: the migrations to apply or unapply, in order, to reach `targets` from the
   * loader's applied migrations (from none with `cleanStart`). An applied target is unapplied
   * through its children in its own app, never further. Targets that are not nodes of the graph
   * add nothing (Django would rebuild the graph without squashes for a replaced target).
   */
  migrationPlan(targets: Iterable<MigrationTarget | MigrationKey>, options: { readonly cleanStart?: boolean } = {}): PlanStep[] {
    const { graph } = this.loader;
    const plan: PlanStep[] = [];
    const applied = new Set<MigrationKey>(options.cleanStart ? [] : this.loader.appliedMigrations.keys());
    const unapply = (start: MigrationKey) => {
      for (const key of graph.backwardsPlan(start) ?? []) {
        if (!applied.delete(key)) continue;
        plan.push({ key, backwards: true });
      }
    };
    for (const target of targets) {
      const [app, name] = typeof target === 'string' ? splitMigrationKey(target) : target;
      if (name === null) {
        for (const root of graph.rootNodes(app)) unapply(root);
        continue;
      }
      const key = migrationKey(app, name);
      if (applied.has(key)) {
        const node = graph.nodes.has(key) ? graph.nodeMap.get(key) : undefined;
        const nextInApp = [...(node?.children ?? [])].filter((child) => child.app === app).map((child) => child.key);
        for (const next of nextInApp.sort(compareKeys)) unapply(next);
        continue;
      }
      for (const step of graph.forwardsPlan(key) ?? []) {
        if (applied.has(step)) continue;
        applied.add(step);
        plan.push({ key: step, backwards: false });
      }
    }
    return plan;
  }
}
