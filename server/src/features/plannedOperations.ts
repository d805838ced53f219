import { operationSemantics } from '../core/operations/index';
import { PlanAnswer } from '../../../protocol/index';

/** `migrate --plan` as the helper printed it, with what undoing each operation loses. */
export function withReverseLosses(plan: PlanAnswer): PlanAnswer {
  return {
    ...plan,
    plan: plan.plan.map((step) => ({
      ...step,
      operations: step.operations.map((operation) => {
        const reverseLoses = operationSemantics(operation.type).reverseLoses;
        return reverseLoses ? { ...operation, reverseLoses } : operation;
      }),
    })),
  };
}
