import { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  DjangoHelperCancelledError,
  HELPER_RESTARTED,
  DjangoHelperExitedError,
  DjangoHelperTimeoutError,
  DjangoImportError,
  DjangoRequestError,
  DjangoSetupError,
  PythonNotFoundError,
  UntrustedWorkspaceError,
} from './djangoErrors';
import {
  CommandOutput,
  DatabasesParams,
  DatabasesResult,
  DjangoHelperMethod,
  DjangoHelperMethods,
  DjangoHelperReadyMessage,
  DjangoHelperResponse,
  MakemigrationsCheckParams,
  MakemigrationsCheckResult,
  MakemigrationsParams,
  MakemigrationsResult,
  PlanParams,
  PlanResult,
  PlanSqlResult,
  ReloadResult,
  RenameRecorderRowsParams,
  RenameRecorderRowsResult,
  SqlmigrateParams,
} from './djangoHelperProtocol';
import { PythonEnvironment } from './pythonEnvironment';
import { redactSecrets } from './secretRedaction';
import { spawnPython } from './spawnPython';

export interface DjangoHelperProcessOptions {
  /** Workspace trust. Untrusted: the constructor throws UntrustedWorkspaceError. */
  readonly trusted: boolean;
  readonly environment: PythonEnvironment;
  /** Per request, unless the request says otherwise. Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** For `django.setup()`. Default 60 s. */
  readonly startTimeoutMs?: number;
  /** Stop after this long without requests; 0 keeps it running. Default 5 minutes. */
  readonly idleTimeoutMs?: number;
  /** How long a stopping helper may take to exit on its own before it is killed. Default 2 s. */
  readonly stopGraceMs?: number;
  /** Path of djangoHelper.py; found beside this module (or the bundle) by default. */
  readonly helperScript?: string;
  /** Receives stderr lines and lifecycle messages, passwords already hidden. */
  readonly log?: (message: string) => void;
  /** Further values to hide from logs and messages: passwords the server knows for the project. */
  readonly secrets?: (environment: PythonEnvironment) => readonly string[];
}

export interface DjangoHelperRequestOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export type DjangoHelperExitReason = 'idle' | 'restart' | 'dispose' | 'timeout' | 'crash' | 'startFailed';

export interface DjangoHelperExitEvent {
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly reason: DjangoHelperExitReason;
}

export type DjangoHelperInfo = Extract<DjangoHelperReadyMessage, { ok: true }>;

export interface Disposable {
  dispose(): void;
}

interface Pending {
  readonly method: string;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
  readonly detach: () => void;
}

const STDERR_TAIL = 16 * 1024;

/** djangoHelper.py beside the bundle (dist/), else in the source tree (compiled tests). */
export function djangoHelperScriptPath(): string {
  const candidates = [
    join(__dirname, 'djangoHelper.py'),
    join(__dirname, '..', '..', '..', '..', 'server', 'src', 'django', 'djangoHelper.py'),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0];
}

/**
 * One long-lived Python process for one project: started on the first request, `django.setup()`
 * once, then requests answered in order. Stops when idle, starts again on the next request after
 * a crash, an idle stop or `restart()`. Import and setup failures are kept and returned at once
 * until `restart()`, so a broken project does not start a process per request.
 */
export class DjangoHelperProcess {
  private readonly trusted: boolean;
  private readonly environment: PythonEnvironment;
  private readonly script: string;
  private readonly requestTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly stopGraceMs: number;
  private readonly log: (message: string) => void;

  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  /** Bumped by restart/dispose so a start already under way does not become current. */
  private generation = 0;
  private failure: Error | undefined;
  private disposed = false;
  private info: DjangoHelperInfo | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly stopReasons = new WeakMap<ChildProcess, DjangoHelperExitReason>();
  private idleTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  private stderrPartial = '';
  private readonly exitListeners = new Set<(event: DjangoHelperExitEvent) => void>();
  private readonly startListeners = new Set<(info: DjangoHelperInfo) => void>();

  private readonly secrets: DjangoHelperProcessOptions['secrets'];
  /** Passwords read from the project's DATABASES through this helper. */
  private readonly learnedSecrets = new Set<string>();

  constructor(options: DjangoHelperProcessOptions) {
    if (!options.trusted) throw new UntrustedWorkspaceError("start the project's Django");
    this.trusted = options.trusted;
    this.environment = options.environment;
    this.script = options.helperScript ?? djangoHelperScriptPath();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 5 * 60_000;
    this.stopGraceMs = options.stopGraceMs ?? 2_000;
    this.secrets = options.secrets;
    const log = options.log;
    this.log = log ? (message) => log(this.redact(message)) : () => undefined;
  }

  /** The running process's id, undefined while none runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Versions and interpreter reported by the running helper. */
  get ready(): DjangoHelperInfo | undefined {
    return this.child ? this.info : undefined;
  }

  onDidStart(listener: (info: DjangoHelperInfo) => void): Disposable {
    this.startListeners.add(listener);
    return { dispose: () => this.startListeners.delete(listener) };
  }

  onDidExit(listener: (event: DjangoHelperExitEvent) => void): Disposable {
    this.exitListeners.add(listener);
    return { dispose: () => this.exitListeners.delete(listener) };
  }

  sqlmigrate(params: SqlmigrateParams, options?: DjangoHelperRequestOptions): Promise<CommandOutput> {
    return this.request('sqlmigrate', params, options);
  }

  plan(params: PlanParams = {}, options?: DjangoHelperRequestOptions): Promise<PlanResult> {
    return this.request('plan', params, options);
  }

  /** The SQL `migrate` would run for the plan of `params`, step by step. */
  planSql(params: PlanParams = {}, options?: DjangoHelperRequestOptions): Promise<PlanSqlResult> {
    return this.request('planSql', params, options);
  }

  async databases(params: DatabasesParams = {}, options?: DjangoHelperRequestOptions): Promise<DatabasesResult> {
    const result = await this.request('databases', params, options);
    // Django's own DATABASES may hold passwords nothing else knows: hidden from then on.
    for (const entry of Object.values(result.databases)) {
      const password = (entry.settings as Record<string, unknown>).PASSWORD;
      if (typeof password === 'string' && password) this.learnedSecrets.add(password);
    }
    return result;
  }

  makemigrationsCheck(params: MakemigrationsCheckParams = {}, options?: DjangoHelperRequestOptions): Promise<MakemigrationsCheckResult> {
    return this.request('makemigrationsCheck', params, options);
  }

  /** `makemigrations` writing files, Django's questions answered from `params.answers`, else returned. */
  makemigrations(params: MakemigrationsParams, options?: DjangoHelperRequestOptions): Promise<MakemigrationsResult> {
    return this.request('makemigrations', params, options);
  }

  /** Renames `django_migrations` rows of one alias through Django, in one transaction. */
  renameRecorderRows(params: RenameRecorderRowsParams, options?: DjangoHelperRequestOptions): Promise<RenameRecorderRowsResult> {
    return this.request('renameRecorderRows', params, options);
  }

  /** Forget imported migration modules, so edited migration files are read again. */
  reload(options?: DjangoHelperRequestOptions): Promise<ReloadResult> {
    return this.request('reload', {}, options);
  }

  /**
   * Sends one request, starting the helper if needed. Rejects with DjangoRequestError when Django
   * raised, DjangoHelperTimeoutError (and the helper is stopped), DjangoHelperCancelledError,
   * DjangoHelperExitedError, or the start-up errors.
   */
  request<M extends DjangoHelperMethod>(
    method: M,
    params: DjangoHelperMethods[M]['params'],
    options: DjangoHelperRequestOptions = {},
  ): Promise<DjangoHelperMethods[M]['result']> {
    if (this.disposed) return Promise.reject(new DjangoHelperCancelledError('the helper was disposed'));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new DjangoHelperCancelledError(`${method} was aborted`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.settle(id, new DjangoHelperCancelledError(`${method} was aborted`));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (result: unknown) => void,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      });
      this.clearIdleTimer();
      this.start().then(
        (child) => {
          const entry = this.pending.get(id);
          if (!entry) return;
          const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
          entry.timer = setTimeout(() => this.onTimeout(id, child, timeoutMs), timeoutMs);
          child.stdin?.write(JSON.stringify({ id, method, params }) + '\n');
        },
        (error: Error) => this.settle(id, error),
      );
    });
  }

  /**
   * Stops the helper (pending requests are cancelled) and forgets a remembered start-up failure;
   * the next request starts a fresh process. Call after settings or models change.
   */
  async restart(): Promise<void> {
    this.failure = undefined;
    await this.stop('restart', new DjangoHelperCancelledError(HELPER_RESTARTED));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.exitListeners.clear();
    this.startListeners.clear();
    await this.stop('dispose', new DjangoHelperCancelledError('the helper was disposed'));
  }

  private redact(text: string): string {
    return redactSecrets(text, [...this.environment.secrets, ...(this.secrets?.(this.environment) ?? []), ...this.learnedSecrets]);
  }

  private start(): Promise<ChildProcess> {
    if (this.child) return Promise.resolve(this.child);
    if (this.failure) return Promise.reject(this.failure);
    if (!this.starting) {
      const generation = this.generation;
      this.starting = this.launch(generation).finally(() => {
        if (this.generation === generation) this.starting = undefined;
      });
    }
    return this.starting;
  }

  private launch(generation: number): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const python = this.environment.python;
      let child: ChildProcess;
      try {
        child = spawnPython(this.environment, [this.script, this.environment.projectRoot], {
          trusted: this.trusted,
          action: "start the project's Django",
        });
      } catch (error) {
        reject(error as Error);
        return;
      }
      this.stderrTail = '';
      this.stderrPartial = '';
      let ready = false;
      let settled = false;
      const fail = (error: Error, remember: boolean): void => {
        if (remember) this.failure = error;
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        this.stopReasons.set(child, 'timeout');
        child.kill('SIGKILL');
        fail(new DjangoHelperTimeoutError('start-up', this.startTimeoutMs), false);
      }, this.startTimeoutMs);

      child.on('error', (error: NodeJS.ErrnoException) => {
        this.log(`Django helper (${python}) could not start: ${error.message}`);
        fail(new PythonNotFoundError(python, error.code ?? error.message), error.code === 'ENOENT');
      });
      child.stdin?.on('error', () => undefined); // EPIPE after a crash: 'close' reports it.
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => this.onStderr(chunk));
      readLines(child, (line) => {
        if (ready) {
          this.onResponse(line);
          return;
        }
        let message: DjangoHelperReadyMessage;
        try {
          message = JSON.parse(line) as DjangoHelperReadyMessage;
        } catch {
          this.log(`Django helper: unexpected output before ready: ${line}`);
          return;
        }
        if (message.ok) {
          ready = true;
          settled = true;
          clearTimeout(timer);
          if (generation !== this.generation) {
            // restart() or dispose() came while it was starting: a caller may retry a restart.
            this.stopReasons.set(child, this.disposed ? 'dispose' : 'restart');
            child.stdin?.end();
            reject(new DjangoHelperCancelledError(this.disposed ? 'the helper was disposed' : HELPER_RESTARTED));
            return;
          }
          this.child = child;
          this.info = message;
          this.log(
            `Django helper started: pid ${child.pid}, Django ${message.django}, Python ${message.python} (${message.executable}), settings ${message.settings}`,
          );
          for (const listener of [...this.startListeners]) listener(message);
          resolve(child);
          this.scheduleIdleStop();
        } else if (message.phase === 'import') {
          fail(new DjangoImportError(python, this.redact(`${message.error.type}: ${message.error.message}`)), true);
        } else {
          const { type, message: text, traceback } = message.error;
          fail(new DjangoSetupError(type, this.redact(text), this.redact(traceback), this.environment.settingsModule), true);
        }
      });

      child.on('close', (code, signal) => {
        this.flushStderr();
        const reason = this.stopReasons.get(child) ?? (ready ? 'crash' : 'startFailed');
        if (!ready) fail(new DjangoHelperExitedError(code, signal, this.redact(this.stderrTail)), false);
        if (this.child === child) {
          this.child = undefined;
          this.clearIdleTimer();
          this.rejectAll(new DjangoHelperExitedError(code, signal, this.redact(this.stderrTail)));
        }
        this.log(`Django helper pid ${child.pid} exited (${reason}, ${signal ?? `code ${code}`})`);
        const event: DjangoHelperExitEvent = { pid: child.pid, code, signal, reason };
        for (const listener of [...this.exitListeners]) listener(event);
      });
    });
  }

  private onStderr(chunk: string): void {
    this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    // Whole lines only: a password split over two writes must still be recognised.
    const lines = (this.stderrPartial + chunk).split('\n');
    this.stderrPartial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.log(`Django helper: ${line}`);
  }

  private flushStderr(): void {
    if (this.stderrPartial.trim()) this.log(`Django helper: ${this.stderrPartial}`);
    this.stderrPartial = '';
  }

  private onResponse(line: string): void {
    let response: DjangoHelperResponse;
    try {
      response = JSON.parse(line) as DjangoHelperResponse;
    } catch {
      this.log(`Django helper: unreadable response: ${line}`);
      return;
    }
    // Responses to cancelled requests still arrive: there is no one left to give them to.
    if (typeof response.id !== 'number' || !this.pending.has(response.id)) return;
    if ('error' in response) {
      const { type, message, traceback } = response.error;
      this.settle(response.id, new DjangoRequestError(type, this.redact(message), this.redact(traceback)));
    } else {
      this.settle(response.id, undefined, response.result);
    }
  }

  private settle(id: number, error: Error | undefined, result?: unknown): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.detach();
    if (error) entry.reject(error);
    else entry.resolve(result);
    this.scheduleIdleStop();
  }

  private onTimeout(id: number, child: ChildProcess, timeoutMs: number): void {
    const method = this.pending.get(id)?.method ?? 'request';
    this.settle(id, new DjangoHelperTimeoutError(method, timeoutMs));
    // The helper answers in order: one stuck request blocks all others, so it has to go.
    if (this.child === child) {
      this.child = undefined;
      this.rejectAll(new DjangoHelperCancelledError(`the helper was stopped because ${method} timed out`));
      this.stopReasons.set(child, 'timeout');
      child.kill('SIGKILL');
    }
  }

  private rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, error);
  }

  private clearIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private scheduleIdleStop(): void {
    this.clearIdleTimer();
    if (!this.child || this.pending.size > 0 || this.idleTimeoutMs <= 0) return;
    this.idleTimer = setTimeout(() => void this.stop('idle'), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private async stop(reason: DjangoHelperExitReason, pendingError?: Error): Promise<void> {
    this.generation++;
    this.starting = undefined;
    this.clearIdleTimer();
    if (pendingError) this.rejectAll(pendingError);
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    this.stopReasons.set(child, reason);
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    // End of input ends the helper's loop; a helper busy with a long request is killed.
    child.stdin?.end();
    const kill = setTimeout(() => child.kill('SIGKILL'), this.stopGraceMs);
    await closed;
    clearTimeout(kill);
  }
}

/** Calls `onLine` for each line of the child's stdout. */
function readLines(child: ChildProcess, onLine: (line: string) => void): void {
  let buffer = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) onLine(line);
      newline = buffer.indexOf('\n');
    }
  });
}
