import * as vscode from 'vscode';

/** A file of the (single) workspace folder the suite runs in, by its relative path. */
export function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the extension-host suite needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relativePath.split('/'));
}
