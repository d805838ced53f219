import { parseArgs, ParseArgsConfig } from 'node:util';

/** Options every engine command accepts. */
export const COMMON_OPTIONS = {
  python: { type: 'string' },
  settings: { type: 'string' },
  'database-url': { type: 'string' },
  database: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export class UsageError extends Error {}

/** `node:util` parseArgs with our common options, turning its errors into usage errors. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: typeof COMMON_OPTIONS & T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
