import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkspaceDiagnosticRequest } from 'vscode-languageserver-protocol';
import { LspClient } from '../test/server/lspClient';

const RUNS = 5;

export interface ServerStartFigures {
  /**
   * Medians: from spawning dist/server.js to the answer of the first `workspace/diagnostic`, with
   * an empty storage folder (a project opened for the first time: the parse cache is written too).
   */
  readonly coldMs: number;
  /** The same with the parse cache that run wrote (the project opened again). */
  readonly cachedMs: number;
  /** From spawning dist/server.js to the first answer for a migration open in the editor. */
  readonly openEditorMs: number;
}

/** A migration of the generated project, open in the editor as the server starts. */
const OPEN_MIGRATION = path.join('app00', 'migrations', '0002_auto_2.py');

/**
 * The server as an editor starts it, over stdio and the real protocol: spawn, `initialize`,
 * `initialized`, the first index (marked by the server's diagnostic refresh), then a pull of
 * every file's diagnostics; the time until that answer is in, in fresh processes.
 */
export async function benchServerStart(root: string): Promise<ServerStartFigures> {
  const cold: number[] = [];
  const cached: number[] = [];
  const openEditor: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const storage = mkdtempSync(path.join(tmpdir(), 'django-migrations-bench-server-storage-'));
    try {
      const figures = await firstDiagnostics(root, { storagePath: storage });
      cold.push(figures.workspaceMs);
      openEditor.push(figures.openEditorMs);
      cached.push((await firstDiagnostics(root, { storagePath: storage })).workspaceMs);
    } finally {
      rmSync(storage, { recursive: true, force: true });
    }
  }
  return { coldMs: median(cold), cachedMs: median(cached), openEditorMs: median(openEditor) };
}

async function firstDiagnostics(root: string, options: Record<string, unknown>): Promise<{ openEditorMs: number; workspaceMs: number }> {
  const start = performance.now();
  const { client, indexed } = await LspClient.launch({
    folders: [root],
    initializationOptions: { djangoVersion: '3.2', ...options },
    answerTimeoutMs: 300_000,
  });
  try {
    // As an editor restoring its tabs: one migration is open and pulled as soon as the server is up.
    const file = path.join(root, OPEN_MIGRATION);
    await client.open(file, readFileSync(file, 'utf8'));
    await client.diagnostics(file);
    const openEditorMs = performance.now() - start;
    await indexed;
    const report = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const workspaceMs = performance.now() - start;
    if (report.items.length === 0) throw new Error('the first workspace diagnostics were empty');
    return { openEditorMs, workspaceMs };
  } finally {
    await client.shutdown();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function printServerStart(figures: ServerStartFigures, migrations: number): void {
  console.log(`\nServer, ${migrations} migrations, fresh processes over stdio, median of ${RUNS}`);
  console.log(
    `  ${'spawn to first workspace diagnostics'.padEnd(38)} ${`${figures.coldMs.toFixed(0)} ms`.padStart(22)}   target <= 500 ms (first open)`,
  );
  console.log(`  ${'  the same, opened again (cache warm)'.padEnd(38)} ${`${figures.cachedMs.toFixed(0)} ms`.padStart(22)}`);
  console.log(
    `  ${'spawn to an open migration diagnostics'.padEnd(38)} ${`${figures.openEditorMs.toFixed(0)} ms`.padStart(22)}   its own problems first`,
  );
}
