import * as vscode from 'vscode';

/**
 * True in a trusted workspace. Otherwise says why the command is off (it would run the
 * project's Python) and offers the trust editor; the static features keep working.
 */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Django Migrations: ${what} runs the project's Python code (settings, models, migrations), which is off in Restricted Mode. Trust the workspace to enable it.`,
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
