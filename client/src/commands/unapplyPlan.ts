import type { PlanAnswer, PlannedMigration, PlannedOperation } from '../../../protocol/index';

/** Where `migrate APP TARGET` goes to unapply one migration: its parent in the same app, else `zero`. */
export function unapplyTarget(migration: { readonly app: string; readonly parents: readonly string[] }): { readonly app: string; readonly target: string } {
  return { app: migration.app, target: migration.parents[0] ?? 'zero' };
}

/** What a confirmation shows before migrating backwards. */
export interface UnapplyReview {
  /** `app.name` of each migration unapplied, in the order Django unapplies them. */
  readonly unapplied: readonly string[];
  /** `app.name` of migrations the same plan applies (a target in another branch). */
  readonly applied: readonly string[];
  /** Operations without a reverse: `migrate` stops there with IrreversibleError. */
  readonly irreversible: readonly string[];
  /** What undoing drops, or does not bring back. */
  readonly dataLoss: readonly string[];
  /** True when `migrate` would stop at an irreversible operation. */
  readonly blocked: boolean;
  /** One line for the dialog. */
  readonly message: string;
  /** The lists, for the dialog's detail. */
  readonly detail: string;
}

/**
 * Reads `migrate --plan` (as the server answers it, with what each reverse loses) for a backwards migrate: what is unapplied,
 * which operations cannot be undone and what data is lost. Pure, so tests drive it with Django's
 * real plans.
 */
export function reviewUnapply(plan: PlanAnswer, database = 'default'): UnapplyReview {
  const label = (step: PlannedMigration): string => `${step.app}.${step.name}`;
  const backwards = plan.plan.filter((step) => step.backwards);
  const forwards = plan.plan.filter((step) => !step.backwards);
  const irreversible: string[] = [];
  const dataLoss: string[] = [];
  for (const step of backwards) {
    for (const operation of step.operations) {
      if (operation.irreversible) irreversible.push(`${label(step)}: ${operationName(operation)} has no reverse`);
      const loss = operation.reverseLoses;
      if (loss) dataLoss.push(`${label(step)}: ${operation.describe} (${loss})`);
    }
  }
  const count = (n: number): string => `${n} migration${n === 1 ? '' : 's'}`;
  const message =
    backwards.length === 0
      ? `Nothing to unapply on database '${database}'.`
      : irreversible.length > 0
        ? `Cannot unapply ${count(backwards.length)} on database '${database}': ${irreversible.length === 1 ? 'an operation has' : 'operations have'} no reverse.`
        : forwards.length > 0
          ? `Unapply ${count(backwards.length)} and apply ${count(forwards.length)} on database '${database}'?`
          : `Unapply ${count(backwards.length)} on database '${database}'?`;
  const sections: string[] = [];
  if (backwards.length > 0) sections.push(['Unapplied, in this order:', ...backwards.map((step) => `  ${label(step)}`)].join('\n'));
  if (forwards.length > 0) sections.push(['Then applied:', ...forwards.map((step) => `  ${label(step)}`)].join('\n'));
  if (irreversible.length > 0) {
    sections.push(
      [
        'Irreversible: migrate stops with IrreversibleError at',
        ...irreversible.map((line) => `  ${line}`),
        'Migrations unapplied before that stay unapplied. Give the operation a reverse, or only record the change with --fake.',
      ].join('\n'),
    );
  }
  if (dataLoss.length > 0) sections.push(['Data loss:', ...dataLoss.map((line) => `  ${line}`)].join('\n'));
  return {
    unapplied: backwards.map(label),
    applied: forwards.map(label),
    irreversible,
    dataLoss,
    blocked: irreversible.length > 0,
    message,
    detail: sections.join('\n\n'),
  };
}

/** `RunPython`, `RunSQL`, or Django's description of another operation. */
function operationName(operation: PlannedOperation): string {
  return operation.type === 'RunPython' || operation.type === 'RunSQL' ? operation.type : operation.describe;
}
