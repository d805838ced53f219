import { Connection, FileEvent } from 'vscode-languageserver/node';
import { MigrationProject } from './project/migrationProject';
import { InitializationOptions } from '../../protocol/index';
import type { Workspace } from './workspace/workspace';

/**
 * What a feature module may use of the running server: its projects, its options and its
 * connection. Modules that add custom requests or lenses receive this instead of the server class.
 */
export interface ServerContext {
  readonly connection: Connection;
  readonly options: InitializationOptions;
  /** The services the features share: the Django bridge, the databases. */
  readonly workspace: Workspace;
  /** Resolves once the projects are indexed (again after a reload). */
  whenLoaded(): Promise<void>;
  projects(): readonly MigrationProject[];
  projectOf(file: string): MigrationProject | undefined;
  /** The text the editor holds for a file, when it is open. */
  openText(file: string): string | undefined;
  /** Ask the client to pull diagnostics again (debounced). */
  refreshDiagnostics(): void;
  /** Ask the client to fetch code lenses again. */
  refreshCodeLenses(): void;
  /** Called after every (re)index, for features that keep state per project. */
  onDidLoad(listener: () => void): void;
  /** Called with every batch of files the client reports changed on disk (saved, created, deleted). */
  onDidChangeWatchedFiles(listener: (changes: readonly FileEvent[]) => void): void;
}
