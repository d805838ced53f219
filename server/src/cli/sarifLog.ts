import * as path from 'node:path';
import { LINT_RULES } from '../core/lints';
import { Problem, ProblemSeverity } from '../core/problem';

const LEVEL: Record<ProblemSeverity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/**
 * The problems as a SARIF 2.1.0 log (what GitHub code scanning and other CI dashboards read):
 * one run, rules described from the lint catalogue, paths relative to the checked folder
 * (`%SRCROOT%`), columns in UTF-16 code units as the problems count them.
 */
export function sarifLog(problems: readonly Problem[], root: string): string {
  const codes = [...new Set(problems.map((p) => p.code))].sort();
  const rules = codes.map((code) => {
    const lint = LINT_RULES.find((rule) => rule.id === code);
    return {
      id: code,
      ...(lint
        ? { shortDescription: { text: lint.summary }, defaultConfiguration: { level: LEVEL[lint.severity] } }
        : { shortDescription: { text: code } }),
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'django-migrations', rules } },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileUri(root)}/` } },
        results: problems.map((p) => ({
          ruleId: p.code,
          ruleIndex: codes.indexOf(p.code),
          level: LEVEL[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: {
                  uri: path.relative(root, p.file).split(path.sep).map(encodeURIComponent).join('/'),
                  uriBaseId: '%SRCROOT%',
                },
                region: {
                  startLine: p.range.start.line + 1,
                  startColumn: p.range.start.character + 1,
                  endLine: p.range.end.line + 1,
                  endColumn: p.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function pathToFileUri(folder: string): string {
  return `file://${folder.split(path.sep).map(encodeURIComponent).join('/')}`;
}
