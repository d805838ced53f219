import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandProject } from '../../../protocol/index';
import { ManagePyCommand } from './managePyCommand';
import { DjangoTaskDefinition, managePyTask, TASK_TYPE } from './managePyTask';
import { projectEnvironment } from './projectEnvironment';
import { ServerRequests } from './serverRequests';

/** The tasks offered for each project in "Run Task"; any management command can go in tasks.json. */
const PROVIDED: ReadonlyArray<readonly string[]> = [
  ['makemigrations'],
  ['migrate'],
  ['showmigrations'],
  ['makemigrations', '--check', '--dry-run'],
];

/**
 * Lets users run and bind the commands through tasks.json (`"type": "djangoMigrations"`), with
 * the same interpreter, settings module and `.env` as the commands.
 */
export class DjangoTaskProvider implements vscode.TaskProvider {
  constructor(private readonly requests: ServerRequests) {}

  async provideTasks(): Promise<vscode.Task[]> {
    if (!vscode.workspace.isTrusted) return [];
    const projects = await this.projects();
    const tasks: vscode.Task[] = [];
    for (const project of projects) {
      const environment = await projectEnvironment(this.requests, project).catch(() => undefined);
      if (!environment?.ok) continue;
      for (const args of PROVIDED)
        tasks.push(managePyTask(project, taskCommand(args, projects.length > 1 ? project : undefined), environment));
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const definition = task.definition as DjangoTaskDefinition;
    if (definition.type !== TASK_TYPE || typeof definition.command !== 'string') return undefined;
    const folder = typeof task.scope === 'object' ? task.scope.uri.fsPath : undefined;
    const projects = await this.projects();
    const wanted = definition.project ? path.resolve(folder ?? '', definition.project) : undefined;
    const project = wanted
      ? projects.find((candidate) => candidate.root === wanted)
      : projects.find((candidate) => folder === undefined || isInside(candidate.root, folder));
    if (!project) return undefined;
    const args = [definition.command, ...(definition.args ?? [])];
    // Same definition object: VS Code matches the resolved task to the one in tasks.json by it.
    const environment = await projectEnvironment(this.requests, project).catch(() => undefined);
    return environment?.ok ? managePyTask(project, taskCommand(args), environment, definition) : undefined;
  }

  private async projects(): Promise<readonly CommandProject[]> {
    try {
      return (await this.requests.commandTargets()).projects;
    } catch {
      return []; // The server is (re)starting: no tasks to offer yet.
    }
  }
}

function taskCommand(args: readonly string[], project?: CommandProject): ManagePyCommand {
  const title = `manage.py ${args.join(' ')}${project ? ` (${path.basename(project.root)})` : ''}`;
  return { args, title, interactive: true };
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Every djangoMigrations task that ends (ours or from tasks.json) refreshes the database state. */
export function refreshAfterTasks(requests: ServerRequests): vscode.Disposable {
  return vscode.tasks.onDidEndTaskProcess((event) => {
    const definition = event.execution.task.definition as Partial<DjangoTaskDefinition>;
    if (definition.type !== TASK_TYPE) return;
    const scope = event.execution.task.scope;
    const folder = typeof scope === 'object' ? scope.uri.fsPath : undefined;
    const root = definition.project ? path.resolve(folder ?? '', definition.project) : undefined;
    requests.refreshDatabase(root);
  });
}
