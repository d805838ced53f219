/**
 * The custom part of the protocol between client and server, typed in one place. Documented in
 * docs/protocol.md.
 */
export * from './initializationOptions';
export * from './djangoRequests';
export * from './commands';
export * from './migrationState';
export * from './messages';
export * from './taskEnvironment';
export * from './migrationGraph';
export * from './makemigrations';
export * from './serverProcess';
