import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MigrationGraphAnswer, MigrationGraphPlanRequest, MigrationGraphRequest } from '../../../protocol/index';
import { ClientContext } from '../clientContext';
import { MigrationStateStore } from '../tree/migrationStateStore';
import { layoutGraph } from './graphLayout';
import { graphNavigation } from './graphNavigation';
import { FromGraphPage, GRAPH_COMMANDS, PlacedGraphNode, ToGraphPage } from './graphViewMessages';

export const GRAPH_VIEW_TYPE = 'djangoMigrations.graph';

/** What the panel shows: a project, an alias, one app or all (`null`). */
export interface GraphScope {
  readonly projectRoot: string;
  readonly alias?: string;
  readonly app: string | null;
  /** The migration file whose app to show, when the tree could not yet say which app it is. */
  readonly file?: string;
}

/**
 * The migration graph in a webview: the page (media/graphView.js) draws what this side lays out
 * from the server's answer, and sends back what the user picks; commands run here. One panel,
 * shown again for a new scope; it follows the server's state changes.
 */
export class MigrationGraphPanel implements vscode.Disposable {
  private static current: MigrationGraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private answer: MigrationGraphAnswer | undefined;
  private selected: string | undefined;
  private loading = 0;

  static show(context: ClientContext, store: MigrationStateStore, scope: GraphScope): MigrationGraphPanel {
    const open = MigrationGraphPanel.current;
    if (open) {
      open.panel.reveal();
      open.scope = scope;
      void open.load();
      return open;
    }
    const media = vscode.Uri.joinPath(context.extension.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Migration Graph', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(media, 'migrations.svg');
    MigrationGraphPanel.current = new MigrationGraphPanel(context, store, panel, scope);
    return MigrationGraphPanel.current;
  }

  private constructor(
    private readonly context: ClientContext,
    store: MigrationStateStore,
    readonly panel: vscode.WebviewPanel,
    private scope: GraphScope,
  ) {
    panel.webview.html = pageHtml(panel.webview, vscode.Uri.joinPath(context.extension.extensionUri, 'media'));
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: FromGraphPage) => void this.receive(message)),
      store.onDidChange(() => void this.load()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.load()),
    );
  }

  dispose(): void {
    if (MigrationGraphPanel.current === this) MigrationGraphPanel.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
  }

  /** Asks the server for the scope's graph, lays it out and sends it to the page. */
  private async load(): Promise<void> {
    const client = this.context.client();
    if (!client) return;
    const ticket = ++this.loading;
    try {
      const answer = await client.sendRequest(MigrationGraphRequest, {
        projectRoot: this.scope.projectRoot,
        ...(this.scope.alias ? { alias: this.scope.alias } : {}),
        ...(this.scope.app !== null ? { app: this.scope.app } : {}),
        ...(this.scope.app === null && this.scope.file ? { file: this.scope.file } : {}),
      });
      if (ticket !== this.loading) return;
      this.answer = answer;
      this.scope = { projectRoot: this.scope.projectRoot, alias: answer.alias, app: answer.app ?? null };
      this.panel.title = `Migration Graph: ${answer.app ?? path.basename(answer.projectRoot)}`;
      const layout = layoutGraph(
        answer.nodes.map((node) => node.id),
        answer.edges,
      );
      const keys = graphNavigation(layout, answer.edges);
      const nodes: PlacedGraphNode[] = answer.nodes.map((node) => {
        const place = layout.nodes.get(node.id)!;
        return { ...node, layer: place.layer, lane: place.lane, keys: keys.get(node.id) ?? {} };
      });
      if (this.selected && !answer.nodes.some((node) => node.id === this.selected)) this.selected = undefined;
      const { nodes: _, ...rest } = answer;
      await this.post({
        type: 'graph',
        graph: { ...rest, projectName: path.basename(answer.projectRoot), trusted: vscode.workspace.isTrusted },
        nodes,
        ...(this.selected ? { selected: this.selected } : {}),
      });
      if (this.selected) await this.plan(this.selected);
    } catch (error) {
      await this.post({
        type: 'error',
        message: `Could not get the migration graph: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  private async plan(id: string): Promise<void> {
    const client = this.context.client();
    const node = this.answer?.nodes.find((candidate) => candidate.id === id);
    if (!client || !node) return;
    const plan = await client.sendRequest(MigrationGraphPlanRequest, {
      projectRoot: this.scope.projectRoot,
      ...(this.scope.alias ? { alias: this.scope.alias } : {}),
      app: node.app,
      name: node.name,
    });
    if (this.selected === id) await this.post({ type: 'plan', plan, selected: id });
  }

  private async receive(message: FromGraphPage): Promise<void> {
    const node = 'id' in message ? this.answer?.nodes.find((candidate) => candidate.id === message.id) : undefined;
    switch (message.type) {
      case 'ready':
        return this.load();
      case 'scope':
        this.scope = { projectRoot: this.scope.projectRoot, app: message.app, alias: message.alias };
        return this.load();
      case 'select':
        if (!node) return;
        this.selected = node.id;
        return this.plan(node.id);
      case 'open':
        if (node?.file)
          await vscode.window.showTextDocument(vscode.Uri.file(node.file), {
            viewColumn: vscode.ViewColumn.Beside,
            preserveFocus: true,
            preview: true,
          });
        return;
      case 'command': {
        const command = Object.prototype.hasOwnProperty.call(GRAPH_COMMANDS, message.command) ? GRAPH_COMMANDS[message.command] : undefined;
        if (!node || !command) return;
        await vscode.commands.executeCommand(command, {
          projectRoot: this.scope.projectRoot,
          alias: this.scope.alias,
          app: node.app,
          name: node.name,
          ...(node.file ? { file: node.file } : {}),
        });
        return;
      }
    }
  }

  private async post(message: ToGraphPage): Promise<void> {
    await this.panel.webview.postMessage(message);
  }
}

/** The page: assets from media/ only, scripts only with this load's nonce. */
function pageHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'graphView.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'graphView.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Migration Graph</title>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Migration graph">
  <label>App <select id="app" aria-label="App"></select></label>
  <label>Database <select id="alias" aria-label="Database alias"></select></label>
  <input id="search" type="search" placeholder="Filter by name" aria-label="Filter migrations by name">
  <span id="matches" aria-live="polite"></span>
  <span class="legend"><span class="dot applied"></span>applied <span class="dot"></span>not applied
    <span class="swatch conflict"></span>conflict <span class="swatch squash"></span>squash
    <span class="swatch outside"></span>replaced or another app's</span>
</header>
<section class="actions" aria-label="Selected migration">
  <span id="selection">Select a migration: arrow keys move, Enter opens its file.</span>
  <button id="open" data-action="open" disabled>Open</button>
  <button id="migrateTo" data-action="migrateTo" disabled>Migrate to Here</button>
  <button id="unapply" data-action="unapply" disabled>Unapply…</button>
  <button id="showSql" data-action="showSql" disabled>Show SQL</button>
</section>
<div id="plan" class="plan" aria-live="polite"></div>
<div id="message" class="message" role="status"></div>
<main id="canvas" class="canvas" tabindex="0" role="tree" aria-label="Migrations"></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
