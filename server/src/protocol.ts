/**
 * The custom part of the protocol between client and server, typed in one place. Documented in
 * docs/protocol.md.
 */

/** Sent by the client in `initialize`. */
export interface InitializationOptions {
  /** VS Code Workspace Trust: when false the server never runs the project's Python. */
  readonly trusted: boolean;
  /** `djangoMigrations.python.path`. */
  readonly pythonPath?: string;
  /** `djangoMigrations.settings.module`. */
  readonly settingsModule?: string;
}
