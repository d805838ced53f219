import * as fs from 'node:fs';
import type { DatabaseProblemKind } from '../../../protocol/index';
import { DatabaseSettings, describeDatabase } from './databaseSettings';

export type { DatabaseProblemKind };

export interface DatabaseProblem {
  readonly status: DatabaseProblemKind;
  /** One line that names the database (never its password) and the cause. */
  readonly message: string;
}

/** Network failures that mean no server answered. */
const UNREACHABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOENT',
]);

/** pg's own messages for a connection that was lost or never completed. */
const UNREACHABLE_PG_MESSAGES = [
  'Connection terminated',
  'timeout expired',
  'Query read timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
];

/** SQLite primary result codes by number, as node:sqlite reports them in `errcode`. */
const SQLITE_CODE_NAMES: Readonly<Record<number, string>> = {
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  11: 'SQLITE_CORRUPT',
  14: 'SQLITE_CANTOPEN',
  26: 'SQLITE_NOTADB',
};

/** SQLite's own texts for those codes: sql.js reports only the text. */
const SQLITE_CODE_BY_MESSAGE: Readonly<Record<string, string>> = {
  'database is locked': 'SQLITE_BUSY',
  'database table is locked': 'SQLITE_LOCKED',
  'database disk image is malformed': 'SQLITE_CORRUPT',
  'unable to open database file': 'SQLITE_CANTOPEN',
  'file is not a database': 'SQLITE_NOTADB',
};

/** Turns what a driver threw into a status and a one-line message. */
export function classifyDatabaseError(error: unknown, settings: DatabaseSettings): DatabaseProblem {
  const database = describeDatabase(settings);
  const reason = errorText(error);
  const status = settings.engine === 'sqlite' ? sqliteProblemKind(error, settings.name) : postgresProblemKind(error);
  return { status, message: problemMessage(status, database, reason) };
}

/** The message for a problem found before talking to any driver. */
export function databaseProblem(status: DatabaseProblemKind, settings: DatabaseSettings, reason: string): DatabaseProblem {
  return { status, message: problemMessage(status, describeDatabase(settings), reason) };
}

/** Whether a query failed only because the table does not exist (PostgreSQL 42P01, SQLite's text). */
export function isUndefinedTableError(error: unknown): boolean {
  return errorCode(error) === '42P01' || errorText(error).startsWith('no such table');
}

function postgresProblemKind(error: unknown): DatabaseProblemKind {
  const codes = [errorCode(error), ...nestedErrors(error).map(errorCode)];
  for (const code of codes) {
    if (code === '28P01' || code === '28000') {
      return 'authentication-failed';
    }
    if (code === '3D000') {
      return 'missing-database';
    }
    // Class 08 is a connection exception; 57P01-57P03 a server shutting down or starting up.
    if (code !== undefined && (code.startsWith('08') || /^57P0[123]$/.test(code) || UNREACHABLE_NETWORK_CODES.has(code))) {
      return 'unreachable';
    }
  }
  const text = errorText(error);
  if (text.includes('client password must be')) {
    // The server asked for a password and the settings have none.
    return 'authentication-failed';
  }
  if (UNREACHABLE_PG_MESSAGES.some((message) => text.startsWith(message))) {
    return 'unreachable';
  }
  return 'error';
}

function sqliteProblemKind(error: unknown, file: string): DatabaseProblemKind {
  if (errorCode(error) === 'SQLITE_DRIVER_UNAVAILABLE') {
    return 'driver-unavailable';
  }
  const code = sqliteCode(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return 'locked';
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return 'corrupt';
  }
  if ((code === 'SQLITE_CANTOPEN' || errorCode(error) === 'ENOENT') && !fs.existsSync(file)) {
    return 'missing-file';
  }
  return 'error';
}

/** The primary result code however the driver reports it (better-sqlite3, node:sqlite, sql.js). */
function sqliteCode(error: unknown): string | undefined {
  const code = errorCode(error);
  if (code?.startsWith('SQLITE_')) {
    // Extended codes such as SQLITE_BUSY_RECOVERY start with their primary code's name.
    return Object.values(SQLITE_CODE_NAMES).find((name) => code === name || code.startsWith(`${name}_`)) ?? code;
  }
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  if (typeof errcode === 'number') {
    return SQLITE_CODE_NAMES[errcode & 0xff];
  }
  return SQLITE_CODE_BY_MESSAGE[errorText(error)];
}

function problemMessage(status: DatabaseProblemKind, database: string, reason: string): string {
  switch (status) {
    case 'unreachable':
      return `${database} is unreachable: ${reason}`;
    case 'authentication-failed':
      return `${database} refused the login: ${reason}`;
    case 'missing-database':
      return `${database} does not exist on the server: ${reason}`;
    case 'missing-file':
      return `${database} does not exist: ${reason}`;
    case 'locked':
      return `${database} is locked by another connection: ${reason}`;
    case 'corrupt':
      return `${database} is not a readable SQLite database: ${reason}`;
    case 'unsupported-engine':
      return `${database} cannot be read: ${reason}`;
    case 'driver-unavailable':
      return `${database} cannot be opened: ${reason}`;
    case 'error':
      return `${database} could not be read: ${reason}`;
  }
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Node reports a refused connection to every address of a name as an AggregateError. */
function nestedErrors(error: unknown): unknown[] {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) ? errors : [];
}

/** The error's message on one line; an AggregateError's own message may be empty. */
function errorText(error: unknown): string {
  const own = error instanceof Error ? error.message : String(error);
  const text = own.trim() !== '' ? own : nestedErrors(error).map(errorText).join('; ');
  return text.replace(/\s+/g, ' ').trim();
}
