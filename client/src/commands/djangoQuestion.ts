import * as vscode from 'vscode';
import { MakemigrationsQuestion } from '../../../protocol/index';

const TITLE = 'Make Migrations: Django asks';

/**
 * Asks one of makemigrations' questions in the editor, in Django's words, and returns what the
 * user would have typed in the terminal (`y`/`n`, an option's number, a Python expression), or
 * undefined when the user dismissed it: then nothing is written.
 */
export async function askDjangoQuestion(question: MakemigrationsQuestion): Promise<string | undefined> {
  switch (question.kind) {
    case 'boolean':
      return askYesNo(question);
    case 'choice':
      return askChoice(question);
    default:
      return askValue(question);
  }
}

/**
 * "Did you rename product.sku to product.code (a CharField)? [y/N]". Answering no makes a
 * RemoveField and an AddField, which lose the column's data: "Yes" comes first and nothing is
 * chosen by dismissing the dialog.
 */
async function askYesNo(question: MakemigrationsQuestion): Promise<string | undefined> {
  const text = oneLine(question.question ?? question.text).replace(/\s*\[y\/N\]\s*$/i, '');
  const renamed = /\brenamed?\b/i.test(text);
  const answer = await vscode.window.showWarningMessage(
    text,
    {
      modal: true,
      detail: renamed
        ? 'Yes: a RenameField or RenameModel keeps the data. No: the old one is removed and a new one added, and its data is lost when migrated.'
        : undefined,
    },
    'Yes',
    'No',
  );
  return answer === 'Yes' ? 'y' : answer === 'No' ? 'n' : undefined;
}

/** "Please select a fix:" with Django's numbered options. */
async function askChoice(question: MakemigrationsQuestion): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    (question.choices ?? []).map((choice, index) => ({ label: `${index + 1}) ${choice}`, answer: String(index + 1) })),
    { title: TITLE, placeHolder: oneLine(question.question ?? question.text), ignoreFocusOut: true },
  );
  return picked?.answer;
}

/** A one-off default as a Python expression; Django says when it cannot evaluate it and asks again. */
async function askValue(question: MakemigrationsQuestion): Promise<string | undefined> {
  const fallback = typeof question.default === 'string' ? question.default : undefined;
  return vscode.window.showInputBox({
    title: TITLE,
    prompt: oneLine(question.text.replace(/(\[default: [^\]]*\] )?>>> $/, '')),
    placeHolder: fallback ? `Enter: ${fallback}` : 'a Python expression, for example 0, "" or timezone.now',
    value: fallback,
    ignoreFocusOut: true,
  });
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
