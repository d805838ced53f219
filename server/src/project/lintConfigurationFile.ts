import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import { LINT_RULE_ID_SET } from '../core/lints';
import { ConfigurationProblem, EMPTY_CONFIGURATION, LintConfiguration, readLintConfiguration } from '../core/lints/lintConfiguration';
import { Problem } from '../core/problem';
import { FILE_START, SourceRange } from '../core/sourceRange';

// smol-toml ships a CommonJS build beside its ES module; its types are declared for the ES module only.
const { parse, TomlError } = require('smol-toml') as typeof SmolToml;

/** The lint configuration of a project and the problems found in its file. */
export interface LintConfigurationFile {
  /** The pyproject.toml read, if any. */
  readonly file?: string;
  readonly configuration: LintConfiguration;
  readonly problems: readonly Problem[];
}

/** How far up from the project folder (the folder of manage.py) pyproject.toml is looked for. */
const MAX_PARENT_FOLDERS = 4;

/**
 * `[tool.django-migrations]` of the nearest pyproject.toml at or above the project folder,
 * read by the server and the CLI alike. A missing file is the default configuration; a file
 * that is not valid TOML, or a wrong key or rule id, is a problem in that file.
 */
export async function readLintConfigurationFile(projectRoot: string): Promise<LintConfigurationFile> {
  let folder = projectRoot;
  for (let level = 0; level <= MAX_PARENT_FOLDERS; level++) {
    const file = path.join(folder, 'pyproject.toml');
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return lintConfigurationFromText(file, text);
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return { configuration: EMPTY_CONFIGURATION, problems: [] };
}

export function lintConfigurationFromText(file: string, text: string): LintConfigurationFile {
  let document: Record<string, unknown>;
  try {
    // smol-toml implements TOML 1.0 exactly and reports where it fails; a hand-written reader would not.
    document = parse(text) as Record<string, unknown>;
  } catch (error) {
    const where: SourceRange = error instanceof TomlError ? lineRange(text, error.line - 1) : FILE_START;
    const message = error instanceof TomlError ? error.message.split('\n')[0] : String(error);
    return { file, configuration: EMPTY_CONFIGURATION, problems: [problem(file, where, `pyproject.toml is not valid TOML: ${message}`)] };
  }
  const tool = document.tool as Record<string, unknown> | undefined;
  const { configuration, problems } = readLintConfiguration(tool?.['django-migrations'], LINT_RULE_ID_SET);
  return { file, configuration, problems: problems.map((p) => problem(file, locate(text, p), p.message)) };
}

function problem(file: string, range: SourceRange, message: string): Problem {
  return { code: 'project-configuration', severity: 'error', message: `[tool.django-migrations] ${message}`, file, range };
}

/**
 * Where a configuration problem is written: the offending rule id string, else the line of its
 * key inside the [tool.django-migrations...] tables, else the table header. TOML text, searched
 * line by line.
 */
function locate(text: string, configurationProblem: ConfigurationProblem): SourceRange {
  const lines = text.split(/\r\n|\n/);
  const header = lines.findIndex((line) => /^\s*\[\s*tool\s*\.\s*"?django-migrations"?/.test(line));
  const from = Math.max(header, 0);
  if (configurationProblem.value !== undefined) {
    for (let line = from; line < lines.length; line++) {
      const column = lines[line].indexOf(`"${configurationProblem.value}"`);
      if (column >= 0)
        return { start: { line, character: column }, end: { line, character: column + configurationProblem.value.length + 2 } };
    }
  }
  const key = configurationProblem.path[configurationProblem.path.length - 1];
  if (key !== undefined) {
    const pattern = new RegExp(`^\\s*"?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?\\s*=`);
    for (let line = from; line < lines.length; line++) if (pattern.test(lines[line])) return lineRange(text, line);
    for (let line = from; line < lines.length; line++) if (lines[line].includes(key)) return lineRange(text, line);
  }
  return header >= 0 ? lineRange(text, header) : FILE_START;
}

function lineRange(text: string, line: number): SourceRange {
  const length = text.split(/\r\n|\n/)[line]?.length ?? 0;
  return { start: { line: Math.max(line, 0), character: 0 }, end: { line: Math.max(line, 0), character: length } };
}
