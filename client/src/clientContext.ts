import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import type { MigrationStateStore } from './tree/migrationStateStore';

/**
 * What a client feature (tree, status bar, commands, ...) may use: the extension context, the
 * output channel, and the language client, which is replaced when the server restarts.
 */
export interface ClientContext {
  readonly extension: vscode.ExtensionContext;
  readonly output: vscode.OutputChannel;
  /** The running client, or undefined while the server (re)starts. */
  client(): LanguageClient | undefined;
  /** Fires each time a client has started (first start and every restart). */
  readonly onDidStartClient: vscode.Event<LanguageClient>;
  /** The client's copy of the server's migration state, shared by the tree and the status bar. */
  readonly migrationState: MigrationStateStore;
}

/** A client feature registers its views and commands once; disposables go to the extension context. */
export type ClientFeature = (context: ClientContext) => void;
