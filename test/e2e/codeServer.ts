import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';

/** The folders one code-server owns, so it never reads or writes the home folder. */
export interface CodeServerDirs {
  readonly root: string;
  readonly userData: string;
  readonly extensions: string;
  readonly config: string;
  readonly log: string;
}

/** User settings for a quiet workbench: no welcome page, tips, update or telemetry prompts. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // The DOM renderer puts the terminal's text in the page, where checks read it.
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.showTerminalConfigPrompt': false,
};

/** Creates the folders, an empty config file and the user settings under `root`. */
export function makeCodeServerDirs(root: string, settings: Record<string, unknown> = {}): CodeServerDirs {
  const dirs: CodeServerDirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    config: join(root, 'config.yaml'),
    log: join(root, 'code-server.log'),
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  mkdirSync(dirs.extensions, { recursive: true });
  writeFileSync(dirs.config, 'auth: none\ncert: false\n');
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2));
  return dirs;
}

function dirArgs(dirs: CodeServerDirs): string[] {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', dirs.config];
}

/**
 * Installs a `.vsix` the way a user would (`--install-extension`) and returns the folder it was
 * unpacked to.
 */
export async function installExtension(bin: string, dirs: CodeServerDirs, vsix: string, extensionId: string): Promise<string> {
  await promisify(execFile)(bin, [...dirArgs(dirs), '--force', '--install-extension', vsix]);
  const folder = readdirSync(dirs.extensions).find((name) => name.startsWith(`${extensionId}-`));
  if (!folder) throw new Error(`${vsix} did not install into ${dirs.extensions}`);
  return join(dirs.extensions, folder);
}

export interface CodeServerOptions {
  readonly bin: string;
  readonly dirs: CodeServerDirs;
  /** Default: a free port. */
  readonly port?: number;
  /** Skips the trust prompt; only for checks that are not about Workspace Trust. */
  readonly disableWorkspaceTrust?: boolean;
  /** Variables added to code-server's environment, which its extension hosts inherit. */
  readonly env?: NodeJS.ProcessEnv;
}

/** One code-server on 127.0.0.1, in a process group of its own so `stop()` ends all it started. */
export class CodeServer {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
    readonly dirs: CodeServerDirs,
  ) {}

  /** Starts code-server and resolves once it answers `/healthz`. */
  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const port = options.port ?? (await freePort());
    const args = [
      ...dirArgs(options.dirs),
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      ...(options.disableWorkspaceTrust ? ['--disable-workspace-trust'] : []),
    ];
    const log = openSync(options.dirs.log, 'a');
    // detached: the child calls setsid(), so its pid is also the id of its process group.
    const child = spawn(options.bin, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...options.env } });
    closeSync(log);
    const server = new CodeServer(port, child, options.dirs);
    try {
      await server.waitUntilHealthy(60_000);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The origin the browser uses; extension-test URIs must name exactly this host and port. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A path on this machine as the workbench addresses it. */
  remoteUri(path: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${path}`;
  }

  /** The workbench URL for a folder, with an optional development payload. */
  workbenchUrl(folder: string, payload?: ReadonlyArray<readonly [string, string]>): string {
    const url = new URL(this.origin);
    url.searchParams.set('folder', folder);
    if (payload) url.searchParams.set('payload', JSON.stringify(payload));
    return url.toString();
  }

  private async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`code-server exited with ${this.child.exitCode}; see ${this.dirs.log}`);
      try {
        const response = await fetch(`${this.origin}/healthz`);
        if (response.ok) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`code-server did not answer on ${this.origin} within ${timeoutMs} ms; see ${this.dirs.log}`);
  }

  /** Ends the whole process group: the server, its file watcher and its extension hosts. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const exited = new Promise<void>((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    // Extension hosts may outlive the server's own exit by a moment.
    signalGroup(pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}
