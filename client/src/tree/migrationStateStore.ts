import * as vscode from 'vscode';
import {
  MigrationStateChangedNotification,
  MigrationStateRequest,
  MigrationStateResult,
  RefreshMigrationStateRequest,
  RefreshMigrationStateParams,
} from '../../../protocol/index';
import type { ClientContext } from '../clientContext';

/**
 * The client's copy of the server's migration state: fetched when a server starts and each time
 * it says the state changed. Listeners hear only of real changes, so views do not redraw (or
 * flicker) for a read that found nothing new.
 */
export class MigrationStateStore implements vscode.Disposable {
  private state: MigrationStateResult | undefined;
  private text = '';
  private fetching: Promise<void> | undefined;
  private fetchAgain = false;
  private readonly changed = new vscode.EventEmitter<MigrationStateResult>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: Pick<ClientContext, 'client' | 'output' | 'onDidStartClient'>) {
    this.disposables.push(
      context.onDidStartClient((client) => {
        this.disposables.push(client.onNotification(MigrationStateChangedNotification, () => void this.fetch()));
        void this.fetch();
      }),
    );
  }

  /** The last state received; undefined until the server answered once. */
  get current(): MigrationStateResult | undefined {
    return this.state;
  }

  /** Asks the server for the state; a call during a fetch fetches once more after it. */
  fetch(): Promise<void> {
    if (this.fetching) {
      this.fetchAgain = true;
      return this.fetching;
    }
    this.fetching = (async () => {
      try {
        do {
          this.fetchAgain = false;
          const client = this.context.client();
          if (!client) return;
          this.accept(await client.sendRequest(MigrationStateRequest, {}));
        } while (this.fetchAgain);
      } catch (error) {
        this.context.output.appendLine(`Could not get the migration state: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }

  /** Has the server read the databases again now (all projects, or one), then takes its answer. */
  async refresh(projectRoot?: string): Promise<void> {
    const client = this.context.client();
    if (!client) return;
    const params: RefreshMigrationStateParams = projectRoot ? { projectRoot } : {};
    this.accept(await client.sendRequest(RefreshMigrationStateRequest, params));
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private accept(state: MigrationStateResult): void {
    // The version counts changes the client may not see (a checked time); compare the content.
    const text = JSON.stringify(state.projects);
    if (this.state && text === this.text) return;
    this.state = state;
    this.text = text;
    this.changed.fire(state);
  }
}
