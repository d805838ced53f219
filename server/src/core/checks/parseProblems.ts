import { Problem } from '../problem';
import { FILE_START } from '../sourceRange';
import { MigrationCheck } from './check';

/** What the parser could not read: syntax errors, a missing Migration class, dynamic constructs. */
export const parseProblems: MigrationCheck = (migration) => {
  const problems: Problem[] = [];
  {
    const { parsed, path } = migration;
    if (!parsed.hasMigrationClass) {
      problems.push({
        code: 'missing-migration-class',
        severity: 'error',
        message: `Migration ${migration.name} in app ${migration.appLabel} has no Migration class`,
        file: path,
        range: FILE_START,
      });
    }
    for (const range of parsed.syntaxErrors) {
      problems.push({
        code: 'syntax-error',
        severity: 'error',
        message: 'Syntax error: Django cannot import this migration as written.',
        file: path,
        range,
      });
    }
    for (const failure of parsed.importFailures) {
      problems.push({ code: failure.code, severity: 'error', message: failure.message, file: path, range: failure.range });
    }
    for (const construct of parsed.dynamic) {
      problems.push({
        code: 'dynamic-migration',
        severity: 'information',
        message: `${construct.description}: its value is only known when Python runs it, so it is not checked here.`,
        file: path,
        range: construct.range,
      });
    }
  }
  return problems;
};
