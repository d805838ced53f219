import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { MigrationLanguageServer } from './languageServer';

/**
 * Starts the language server on the connection its command line names (stdio, IPC). The server
 * never finishes a run: `onFirstIndex` runs once, when the first index is done and most of the
 * code a session runs has run.
 */
export function startServer(onFirstIndex: () => void = () => undefined): void {
  const server = new MigrationLanguageServer(createConnection(ProposedFeatures.all));
  let indexed = false;
  server.onDidLoad(() => {
    if (indexed) return;
    indexed = true;
    onFirstIndex();
  });
  server.listen();
}
