import { Migration } from '../core/migration';
import { ModelReference } from '../core/operations/operation';
import { operationSemantics } from '../core/operations/index';
import { containsPosition, SourcePosition, SourceRange } from '../core/sourceRange';

/** What the cursor is on in a migration file, for navigation. */
export type CursorTarget =
  | {
      readonly kind: 'migration';
      readonly attribute: 'dependencies' | 'replaces' | 'run_before';
      /** App label; for a swappable dependency, the setting that names it. */
      readonly app: string | { readonly setting: string };
      readonly name: string;
      readonly range: SourceRange;
    }
  | { readonly kind: 'model'; readonly reference: ModelReference; readonly app: string };

export function cursorTarget(migration: Migration, position: SourcePosition): CursorTarget | undefined {
  const parsed = migration.parsed;
  for (const entry of parsed.dependencies) {
    if (!containsPosition(entry.range, position)) continue;
    return entry.target.kind === 'key'
      ? { kind: 'migration', attribute: 'dependencies', app: entry.target.app, name: entry.target.name, range: entry.range }
      : { kind: 'migration', attribute: 'dependencies', app: { setting: entry.target.setting }, name: '__first__', range: entry.range };
  }
  for (const [attribute, entries] of [
    ['replaces', parsed.replaces],
    ['run_before', parsed.runBefore],
  ] as const) {
    const entry = entries.find((e) => containsPosition(e.range, position));
    if (entry) return { kind: 'migration', attribute, app: entry.app, name: entry.name, range: entry.range };
  }
  for (const operation of parsed.operations) {
    if (!containsPosition(operation.call.range, position)) continue;
    const reference = operationSemantics(operation.type)
      .references(operation.call)
      .find((r) => containsPosition(r.range, position));
    if (reference) return { kind: 'model', reference, app: reference.app ?? migration.appLabel };
  }
  return undefined;
}
