import { loadPythonParser, PythonParser } from '../../../server/src/python/pythonParser';

/** The process-wide parser, loaded once for all python tests. */
export function pythonParser(): Promise<PythonParser> {
  return loadPythonParser();
}

/** A range written compactly: `[startLine, startCharacter, endLine, endCharacter]`. */
export function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number) {
  return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}
