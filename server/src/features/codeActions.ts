import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic, TextEdit } from 'vscode-languageserver/node';
import { FixData } from '../core/problem';
import { uriToPath } from './fileUri';
import { createdFiles } from './createdFiles';
import { DIAGNOSTIC_SOURCE } from './toDiagnostic';

/**
 * Quick fixes for our diagnostics, built from the fix data each diagnostic carries. `appliedOn`
 * names the databases where the file's migration is applied, `publishedOn` the upstream branch
 * that has it: a fix that edits such a migration says so in its title and is never the preferred
 * one, and the fixes that leave what it did untouched come first.
 */
export function codeActions(
  params: CodeActionParams,
  appliedOn: readonly string[] = [],
  onHarmlessEdit: (edits: readonly TextEdit[]) => void = () => undefined,
  publishedOn?: string,
): CodeAction[] {
  const keeping: CodeAction[] = [];
  const changing: CodeAction[] = [];
  const shared = appliedOn.length > 0 || publishedOn !== undefined;
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const fixes = (diagnostic.data as { fixes?: FixData[] } | undefined)?.fixes ?? [];
    for (const fix of fixes) {
      const action = actionFor(fix, params.textDocument.uri, diagnostic, editedMigration(appliedOn, publishedOn));
      if (!action) continue;
      const edits = action.edit?.changes?.[params.textDocument.uri];
      const harmless = HARMLESS_TO_APPLIED.has(fix.fix) || (fix.fix === 'edits' && fix.keepsWhatRan === true);
      if (edits && harmless) onHarmlessEdit(edits);
      // On a migration that ran or was shared, an edit that changes what it does makes databases drift.
      (shared && edits && !harmless ? changing : keeping).push(action);
    }
  }
  return [...keeping, ...changing];
}

/** The title's note on an applied or published migration: ` (edits a migration applied on 'default')`. */
function editedMigration(appliedOn: readonly string[], publishedOn: string | undefined): string {
  const where = [
    ...(appliedOn.length > 0 ? [`applied on ${appliedOn.map((alias) => `'${alias}'`).join(', ')}`] : []),
    ...(publishedOn ? [`published on ${publishedOn}`] : []),
  ];
  return where.length === 0 ? '' : ` (edits a migration ${where.join(' and ')})`;
}

/**
 * Fixes that leave what an applied migration did untouched: its reverse (`reverse_code`, a
 * reverse function), and a dependency's name corrected to the node Django already used.
 */
const HARMLESS_TO_APPLIED = new Set<FixData['fix']>(['add-noop-reverse', 'add-reverse-function', 'replace-dependency']);

function actionFor(fix: FixData, uri: string, diagnostic: Diagnostic, applied: string): CodeAction | undefined {
  const edit = (title: string, edits: TextEdit[], isPreferred = false): CodeAction => ({
    title: title + applied,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: isPreferred && applied === '',
    edit: { changes: { [uri]: edits } },
  });
  switch (fix.fix) {
    case 'add-noop-reverse': {
      const keyword = fix.operation === 'RunPython' ? 'reverse_code' : 'reverse_sql';
      return edit(`Add ${keyword}=${fix.noop}`, [TextEdit.insert(fix.insertAt, `, ${keyword}=${fix.noop}`)], true);
    }
    case 'add-reverse-function': {
      // After the forwards function's last line: two blank lines before it, and the blank
      // lines that followed the forwards function now follow this one.
      const stub =
        `\n\n\ndef ${fix.functionName}(apps, schema_editor):\n` +
        `    # Undo what the forwards function changed; use apps.get_model() for historical models.\n` +
        `    pass`;
      return edit(`Add a reverse function ${fix.functionName}`, [
        TextEdit.insert(fix.functionInsertAt, stub),
        TextEdit.insert(fix.insertAt, `, reverse_code=${fix.functionName}`),
      ]);
    }
    case 'replace-dependency':
      return edit(`Depend on '${fix.name}'`, [TextEdit.replace(fix.range, `'${fix.name}'`)], true);
    case 'finish-squash':
      // Needs the databases and every app's files: built by migrationRefactorings.
      return undefined;
    case 'edits':
      return edit(
        fix.title,
        fix.edits.map((e) => TextEdit.replace(e.range, e.newText)),
        fix.preferred,
      );
    case 'make-migrations': {
      const titles = {
        write: `Make the migration: makemigrations ${fix.app}${fix.name ? ` --name ${fix.name}` : ''}`,
        preview: `Preview the migration (makemigrations ${fix.app} --dry-run)`,
        rename: `Make it as a rename (makemigrations ${fix.app}, answering Django's question)`,
      };
      return {
        title: titles[fix.mode],
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.mode === 'write',
        command: {
          title: titles[fix.mode],
          command: 'djangoMigrations.makeMigrations',
          arguments: [{ projectRoot: fix.projectRoot, app: fix.app, name: fix.name, mode: fix.mode }],
        },
      };
    }
    case 'insert-text':
      return edit(fix.title, [TextEdit.insert(fix.at, fix.text)], fix.preferred ?? false);
    case 'data-migration':
      return {
        title: `Fill the field with a data migration (makemigrations ${fix.app} --empty, RunPython scaffold)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: {
          title: 'New Data Migration',
          command: 'djangoMigrations.makeDataMigration',
          arguments: [{ projectRoot: fix.projectRoot, app: fix.app }],
        },
      };
    case 'write-files':
      return {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { documentChanges: createdFiles(fix.files) },
      };
    case 'merge-migrations':
      // Django writes the merge migration: run `makemigrations --merge` through the client's command.
      return {
        title: `Merge the migrations of '${fix.app}' (makemigrations --merge)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        command: {
          title: 'Merge Migrations',
          command: 'djangoMigrations.mergeMigrations',
          arguments: [{ app: fix.app, file: uriToPath(uri) }],
        },
      };
  }
}
