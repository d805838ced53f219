import { PlanSqlAnswer } from '../../../protocol/index';

/** The document: a header, then each step's SQL under the step's name, in plan order. */
export function planSqlText(answer: PlanSqlAnswer, command: string, database: string): string {
  const header = [`-- The SQL \`${command}\` would run on database '${database}', in plan order (sqlmigrate for each step).`];
  if (answer.steps.length === 0) return `${header[0]}\n-- No planned migration operations.\n`;
  const sections = answer.steps.map((step) => {
    const title = `-- ${step.backwards ? 'Unapply' : 'Apply'} ${step.app}.${step.name}`;
    if (step.error) return `${title}\n-- migrate stops here: ${step.error}`;
    return `${title}\n${step.sql?.trim() || '-- (no SQL: state-only or Python operations)'}`;
  });
  return `${[...header, '', sections.join('\n\n')].join('\n')}\n`;
}
