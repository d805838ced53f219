import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { Problem, ProblemSeverity } from '../core/problem';
import { pathToUri } from './fileUri';

export const DIAGNOSTIC_SOURCE = 'django-migrations';

const SEVERITY: Record<ProblemSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The one converter from core's Problem to an LSP Diagnostic; quick-fix data rides along. */
export function toDiagnostic(problem: Problem): Diagnostic {
  return {
    range: problem.range,
    severity: SEVERITY[problem.severity],
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
    relatedInformation: problem.related?.map((related) => ({
      location: { uri: pathToUri(related.file), range: related.range },
      message: related.message,
    })),
    data: problem.fixes && problem.fixes.length > 0 ? { fixes: problem.fixes } : undefined,
  };
}
