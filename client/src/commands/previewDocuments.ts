import * as vscode from 'vscode';

export const PREVIEW_SCHEME = 'django-migrations-preview';

/**
 * Read-only documents for what a command would do (`migrate --plan`, `makemigrations
 * --dry-run`): each preview gets its own URI and is forgotten when its editor closes.
 */
export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private count = 0;
  private readonly closing: vscode.Disposable;

  constructor() {
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => this.texts.delete(document.uri.toString()));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens `text` as a read-only document named `fileName` (its extension picks the language). */
  async show(fileName: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${fileName}`, query: String(++this.count) });
    this.texts.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.closing.dispose();
    this.texts.clear();
  }
}
