import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandProject } from '../../../protocol/index';
import { BuiltCommand, ManagePyCommand } from './managePyCommand';
import { managePyOf, projectEnvironment, TaskEnvironment } from './projectEnvironment';
import { ServerRequests } from './serverRequests';
import { requireTrust } from './workspaceTrust';

export const TASK_TYPE = 'djangoMigrations';
const TASK_SOURCE = 'Django Migrations';

/** A `djangoMigrations` task in tasks.json: `{ "type": "djangoMigrations", "command": "migrate", "args": ["shop"] }`. */
export interface DjangoTaskDefinition extends vscode.TaskDefinition {
  readonly type: typeof TASK_TYPE;
  /** The management command (`makemigrations`, `migrate`, `showmigrations`, ...). */
  readonly command: string;
  readonly args?: readonly string[];
  /** Folder of manage.py, absolute or relative to the task's workspace folder; the folder's only project when absent. */
  readonly project?: string;
}

/**
 * `python manage.py ARGS` as a task: it runs in the integrated terminal, where Django's questions
 * (a default for a new non-nullable field, "did you rename ...?") can be answered.
 */
export function managePyTask(
  project: CommandProject,
  command: ManagePyCommand,
  environment: TaskEnvironment,
  definition: DjangoTaskDefinition = { type: TASK_TYPE, command: command.args[0], args: command.args.slice(1), project: project.root },
  label = command.title,
): vscode.Task {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(project.root));
  const execution = new vscode.ProcessExecution(environment.python, [managePyOf(project), ...command.args], {
    cwd: project.root,
    env: { ...environment.env },
  });
  // In one shared terminal that each command reuses (not a tab per command).
  const task = new vscode.Task(definition, folder ?? vscode.TaskScope.Workspace, label, TASK_SOURCE, execution, []);
  task.detail = command.title;
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    focus: command.interactive,
    panel: vscode.TaskPanelKind.Shared,
    clear: true,
    echo: true,
    showReuseMessage: false,
  };
  return task;
}

/** The terminal's name: the project's folder, as the tree names it. */
export function projectTerminalName(project: CommandProject): string {
  return `Django: ${path.basename(project.root)}`;
}

export interface TaskOutcome {
  /** The process's exit code; undefined when it was cancelled or VS Code did not report one. */
  readonly exitCode: number | undefined;
  readonly cancelled: boolean;
}

/**
 * Runs a manage.py command as a task with a cancellable progress notification. Refuses in an
 * untrusted workspace and says what to do when the interpreter cannot import Django. Resolves
 * when the process has ended (views refresh then: see `refreshAfterTasks`); undefined when it
 * never started.
 */
export async function runManagePyTask(
  requests: ServerRequests,
  project: CommandProject,
  command: ManagePyCommand,
): Promise<TaskOutcome | undefined> {
  if (!requireTrust(command.title)) return undefined;
  const environment = await projectEnvironment(requests, project, { checkDjango: true });
  if (!environment.ok) {
    const interpreter = INTERPRETER_FAILURES.has(environment.reason)
      ? ' (Python: Select Interpreter chooses the interpreter for this folder.)'
      : '';
    void vscode.window.showErrorMessage(`Django Migrations: ${environment.message}${interpreter}`);
    return undefined;
  }
  // The commands' terminal is named after the project.
  const task = managePyTask(project, command, environment, undefined, projectTerminalName(project));
  const ended = new Map<vscode.TaskExecution, number | undefined>();
  let waiting: ((execution: vscode.TaskExecution) => void) | undefined;
  const listeners = [
    vscode.tasks.onDidEndTaskProcess((event) => {
      ended.set(event.execution, event.exitCode);
      waiting?.(event.execution);
    }),
    vscode.tasks.onDidEndTask((event) => {
      if (!ended.has(event.execution)) ended.set(event.execution, undefined);
      waiting?.(event.execution);
    }),
  ];
  try {
    // A command Django may question runs with its progress in the status bar, never over the
    // terminal where the question waits.
    return await vscode.window.withProgress(
      command.interactive
        ? {
            location: vscode.ProgressLocation.Window,
            title: `${command.title}: if Django asks, it is waiting for your answer in the terminal`,
          }
        : { location: vscode.ProgressLocation.Notification, title: `Django Migrations: ${command.title}`, cancellable: true },
      async (_progress, token) => {
        const execution = await vscode.tasks.executeTask(task);
        let cancelled = false;
        const cancelling = token.onCancellationRequested(() => {
          cancelled = true;
          execution.terminate();
        });
        try {
          if (!ended.has(execution)) {
            await new Promise<void>((resolve) => {
              waiting = (finished) => {
                if (finished === execution) resolve();
              };
            });
          }
        } finally {
          cancelling.dispose();
        }
        const exitCode = ended.get(execution);
        if (!cancelled && exitCode !== undefined && exitCode !== 0) {
          void vscode.window.showErrorMessage(
            `Django Migrations: ${command.title} failed with exit code ${exitCode}; its terminal shows what Django printed.`,
          );
        }
        return { exitCode: cancelled ? undefined : exitCode, cancelled };
      },
    );
  } finally {
    for (const listener of listeners) listener.dispose();
  }
}

const INTERPRETER_FAILURES = new Set(['pythonNotFound', 'djangoImport', 'exited']);

/** Runs a built command, or shows why the choices did not make one. */
export async function runBuiltCommand(
  requests: ServerRequests,
  project: CommandProject,
  built: BuiltCommand,
): Promise<TaskOutcome | undefined> {
  if (!built.ok) {
    void vscode.window.showErrorMessage(`Django Migrations: ${built.message}`);
    return undefined;
  }
  return runManagePyTask(requests, project, built.command);
}
