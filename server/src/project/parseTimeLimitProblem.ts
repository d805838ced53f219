import { Problem } from '../core/problem';
import { FILE_START } from '../core/sourceRange';

/** A file whose parse ran past the time limit: said where it is, with what is therefore not known. */
export function parseTimeLimitProblem(file: string, limitMessage: string, consequence: string): Problem {
  return { code: 'parse-time-limit', severity: 'warning', message: `${limitMessage}: ${consequence}`, file, range: FILE_START };
}
