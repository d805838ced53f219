import * as assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { CancellationTokenSource, WorkspaceDiagnosticRequest, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { TemporaryWorkspace } from './temporaryWorkspace';

/** The workspace pull's reports with problems, as `file relative to root -> codes`. */
type WorkspaceDiagnosticReportLike = { items: WorkspaceDocumentDiagnosticReport[] };

function byFile(root: string, reports: readonly WorkspaceDocumentDiagnosticReport[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const report of reports) {
    if (report.kind !== 'full' || report.items.length === 0) continue;
    result[path.relative(root, new URL(report.uri).pathname)] = report.items.map((item) => String(item.code)).sort();
  }
  return result;
}

describe('server: workspace diagnostics without opening a file', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let root = '';

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    await workspace.copyFixture('conflict', 'project/conflict');
    await workspace.copyFixture('missing_dependency', 'project/missing_dependency');
    root = path.join(workspace.root, 'project');
    ({ client } = await LspClient.start({ folders: [path.join(root, 'conflict'), path.join(root, 'missing_dependency')] }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  it('reports conflicts and missing dependencies of every project, then holds the next pull until something changes', async () => {
    const first = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const reported = byFile(root, first.items);
    assert.ok(Object.values(reported).flat().includes('conflicting-leaves'), JSON.stringify(reported));
    assert.ok(Object.values(reported).flat().includes('missing-dependency'), JSON.stringify(reported));
    assert.ok(Object.keys(reported).every((file) => file.includes(`${path.sep}migrations${path.sep}`)));

    // Once nothing changes (the databases' first reads settle), a pull waits: the client would
    // otherwise ask again every two seconds.
    const cancel = new CancellationTokenSource();
    let held: Promise<WorkspaceDiagnosticReportLike> | undefined;
    for (let attempt = 0; attempt < 5 && !held; attempt++) {
      let answered = false;
      const pull = client.connection
        .sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }, cancel.token)
        .then((answer) => {
          answered = true;
          return answer;
        });
      await new Promise((resolve) => setTimeout(resolve, 700));
      if (!answered) held = pull;
      else await pull;
    }
    assert.ok(held, 'every pull was answered at once');

    // Removing a conflicting leaf changes the project: the held pull answers, and clears the file it reported.
    const conflicting = Object.keys(reported).find((file) => reported[file].includes('conflicting-leaves') && file.startsWith('conflict'));
    assert.ok(conflicting);
    await rm(path.join(root, conflicting));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: fileUri(path.join(root, conflicting)), type: 3 }],
    });
    // The held pull may have answered an earlier change (a database read settling): pull again
    // until the removal is seen; each pull is held until the server has something new.
    let next = await held;
    for (let attempt = 0; attempt < 5 && Object.values(byFile(root, next.items)).flat().includes('conflicting-leaves'); attempt++) {
      next = await client.connection.sendRequest(WorkspaceDiagnosticRequest.type, { previousResultIds: [] }, cancel.token);
    }
    const after = byFile(root, next.items);
    assert.ok(!Object.values(after).flat().includes('conflicting-leaves'), JSON.stringify(after));
    assert.ok(
      next.items.some((report) => report.kind === 'full' && report.items.length === 0),
      'the files reported before get an empty report',
    );
    cancel.dispose();
  });
});
