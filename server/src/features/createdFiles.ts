import { CreateFile, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { pathToUri } from './fileUri';

/** New files with their text, as workspace edit operations: the editor undoes them as one edit. */
export function createdFiles(files: readonly { readonly file: string; readonly text: string }[]): (CreateFile | TextDocumentEdit)[] {
  return files.flatMap(({ file, text }) => {
    const uri = pathToUri(file);
    // Never over an existing file: the edit fails instead.
    return [
      CreateFile.create(uri, { overwrite: false, ignoreIfExists: false }),
      TextDocumentEdit.create({ uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, text)]),
    ];
  });
}
