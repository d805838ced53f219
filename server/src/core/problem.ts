import type { LintRuleId } from './lints/ruleIds';
import { SourceRange } from './sourceRange';

/** Stable codes, shown to users and matched by quick fixes and `# noqa`-style filters. */
export type ProblemCode =
  | 'conflicting-leaves'
  | 'missing-dependency'
  | 'unknown-app'
  | 'circular-dependency'
  | 'irreversible-operation'
  | 'model-import-in-data-migration'
  | 'dynamic-migration'
  | 'syntax-error'
  | 'missing-migration-class'
  /** A migration module Python cannot read or import: permissions, a folder or FIFO named `0004_x.py`. */
  | 'unimportable-migration'
  | 'unfinished-squash'
  | 'dependency-on-replaced-migration'
  | 'unresolved-swappable-dependency'
  | 'project-configuration'
  | 'parse-time-limit'
  /** An app's max_migration.txt that does not name its latest migration. */
  | 'stale-max-migration'
  /** Found by reading the databases (server/src/state): */
  | 'stale-applied-migration'
  | 'edited-published-migration'
  | 'inconsistent-history'
  | 'applied-migration-missing-file'
  /** Found by comparing the models with the migrations (the autodetector): */
  | 'missing-migration'
  | 'non-nullable-field-without-default'
  | 'relation-to-migrated-app-from-unmigrated-app'
  | 'models-not-readable'
  /** A project field class whose `__init__` no longer takes what existing migrations pass it. */
  | 'custom-field-signature'
  /** Lint rules (server/src/core/lints): each rule's own id, and the suppression comments. */
  | LintRuleId
  | 'invalid-suppression'
  | 'unused-suppression';

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  readonly file: string;
  readonly range: SourceRange;
  readonly message: string;
}

/** Data a quick fix needs, carried on the problem so the fix does not have to re-derive it. */
export type FixData =
  | {
      readonly fix: 'add-noop-reverse';
      readonly operation: 'RunPython' | 'RunSQL';
      readonly insertAt: SourceRange['end'];
      readonly noop: string;
    }
  | {
      readonly fix: 'add-reverse-function';
      readonly insertAt: SourceRange['end'];
      readonly functionName: string;
      readonly functionInsertAt: SourceRange['end'];
    }
  | { readonly fix: 'merge-migrations'; readonly app: string }
  /** Finish the squash (delete what it replaces, repoint dependents, drop `replaces`) when every database allows it. */
  | { readonly fix: 'finish-squash'; readonly app: string; readonly name: string }
  | { readonly fix: 'replace-dependency'; readonly range: SourceRange; readonly app: string; readonly name: string }
  /** Plain text edits in the problem's own file (lint rules' safe rewrites, suppression comments). */
  | {
      readonly fix: 'edits';
      readonly title: string;
      readonly edits: readonly { readonly range: SourceRange; readonly newText: string }[];
      readonly preferred?: boolean;
      /** The edit leaves what an applied migration did untouched (a comment, `elidable`). */
      readonly keepsWhatRan?: boolean;
    }
  /** `makemigrations APP --name NAME` (`preview`: with --dry-run; `rename`: interactive, to answer Django's rename question). */
  | {
      readonly fix: 'make-migrations';
      readonly projectRoot: string;
      readonly app: string;
      readonly name: string;
      readonly mode: 'write' | 'preview' | 'rename';
    }
  /** Text inserted at a place, such as `null=True` in a field call. */
  | {
      readonly fix: 'insert-text';
      readonly title: string;
      readonly at: SourceRange['end'];
      readonly text: string;
      readonly preferred?: boolean;
    }
  | { readonly fix: 'data-migration'; readonly projectRoot: string; readonly app: string }
  /** New files, written as one undoable edit (new migrations). */
  | { readonly fix: 'write-files'; readonly title: string; readonly files: readonly { readonly file: string; readonly text: string }[] };

/** One finding about the project: where, what, and how bad. Core's only kind of output. */
export interface Problem {
  readonly code: ProblemCode;
  readonly severity: ProblemSeverity;
  readonly message: string;
  readonly file: string;
  readonly range: SourceRange;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly FixData[];
}
