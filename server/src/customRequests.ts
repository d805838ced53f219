import { ServerContext } from './serverContext';

/**
 * Registers the custom requests (`djangoMigrations/<name>`, typed in protocol.ts and documented
 * in docs/protocol.md), one feature module each.
 */
export function registerCustomRequests(context: ServerContext): void {
  void context;
}
