import { Browser } from 'playwright-core';
import { CodeServer } from './codeServer';

/** What run.ts sets up once for all UI checks. */
export interface E2eContext {
  /** code-server with Workspace Trust off: every workspace is trusted. */
  readonly server: CodeServer;
  /** code-server with Workspace Trust on, Python behind a tripwire (see pythonTripwire.ts). */
  readonly restrictedServer: CodeServer;
  readonly browser: Browser;
  /** A temporary folder with Python files and no Django. */
  readonly plainFolder: string;
  /** A copy of sample/ with a seeded database and `djangoMigrations.python.path`, for the UI story. */
  readonly djangoWorkspace: string;
  /** A copy of sample/ opened untrusted on `restrictedServer`. */
  readonly restrictedWorkspace: string;
  /** The tripwire's log: one line per Python process started through `restrictedServer`. */
  readonly pythonLog: string;
}

let current: E2eContext | undefined;

export function setE2eContext(context: E2eContext | undefined): void {
  current = context;
}

/** The running code-servers and browser; only inside a run started by test/e2e/run.ts. */
export function e2eContext(): E2eContext {
  if (!current) throw new Error('UI checks run through test/e2e/run.ts (npm run test:e2e)');
  return current;
}
