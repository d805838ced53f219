import { Browser } from 'playwright-core';
import { CodeServer } from './codeServer';

/** What run.ts sets up once for all UI checks. */
export interface E2eContext {
  readonly server: CodeServer;
  readonly browser: Browser;
  /** A temporary folder with Python files and no Django. */
  readonly plainFolder: string;
}

let current: E2eContext | undefined;

export function setE2eContext(context: E2eContext | undefined): void {
  current = context;
}

/** The running code-server and browser; only inside a run started by test/e2e/run.ts. */
export function e2eContext(): E2eContext {
  if (!current) throw new Error('UI checks run through test/e2e/run.ts (npm run test:e2e)');
  return current;
}
