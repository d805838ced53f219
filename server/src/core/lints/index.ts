import { Problem, ProblemSeverity } from '../problem';
import { SourceRange } from '../sourceRange';
import { editsKeepingWhatRan } from './fixEdits';
import { isBaselined, LintConfiguration, ruleLevel } from './lintConfiguration';
import { LintContext, LintFinding, LintRule, LintTarget } from './lintRule';
import { LintRuleId } from './ruleIds';
import { addCheckConstraint } from './rules/addCheckConstraint';
import { addFieldDefaultRewrite } from './rules/addFieldDefaultRewrite';
import { addFieldNotNull } from './rules/addFieldNotNull';
import { addForeignKey } from './rules/addForeignKey';
import { addIndexNonConcurrent } from './rules/addIndexNonConcurrent';
import { addUniqueConstraint } from './rules/addUniqueConstraint';
import { alterFieldNotNull } from './rules/alterFieldNotNull';
import { alterFieldType } from './rules/alterFieldType';
import { concurrentIndexInAtomicMigration } from './rules/concurrentIndexInAtomicMigration';
import { deleteModel } from './rules/deleteModel';
import { mysqlIdentifierLength } from './rules/mysqlIdentifierLength';
import { mysqlMultipleSchemaChanges } from './rules/mysqlMultipleSchemaChanges';
import { removeField } from './rules/removeField';
import { removeIndexNonConcurrent } from './rules/removeIndexNonConcurrent';
import { renameField } from './rules/renameField';
import { renameModel } from './rules/renameModel';
import { runPythonNotElidable } from './rules/runPythonNotElidable';
import { runPythonSignature } from './rules/runPythonSignature';
import { runPythonUnbatched } from './rules/runPythonUnbatched';
import { runSqlDdl } from './rules/runSqlDdl';
import { sqliteTableRebuild } from './rules/sqliteTableRebuild';
import { readSuppressions, SourceComment, Suppression, suppresses } from './suppressions';

/** Every rule, in the order docs/lints.md lists them. */
export const LINT_RULES: readonly LintRule[] = [
  addFieldNotNull,
  alterFieldNotNull,
  alterFieldType,
  addFieldDefaultRewrite,
  removeField,
  deleteModel,
  renameField,
  renameModel,
  addIndexNonConcurrent,
  removeIndexNonConcurrent,
  concurrentIndexInAtomicMigration,
  addUniqueConstraint,
  addForeignKey,
  addCheckConstraint,
  mysqlMultipleSchemaChanges,
  mysqlIdentifierLength,
  sqliteTableRebuild,
  runSqlDdl,
  runPythonNotElidable,
  runPythonUnbatched,
  runPythonSignature,
];

export const LINT_RULE_ID_SET: ReadonlySet<string> = new Set(LINT_RULES.map((rule) => rule.id));

export interface LintOptions {
  readonly configuration: LintConfiguration;
  /** The file's comments (for suppressions); none read when absent. */
  readonly comments?: readonly SourceComment[];
}

/**
 * Every finding of the enabled rules on one migration, for each target whose vendor and version
 * the rule applies to, minus what suppression comments silence; plus the suppression comments
 * that are malformed or silence nothing. Never throws.
 */
export function lintMigration(context: LintContext, options: LintOptions): Problem[] {
  const { migration } = context;
  if (isBaselined(options.configuration, migration.appLabel, migration.name)) return [];
  const { suppressions, problems: suppressionProblems } = readSuppressions(options.comments ?? [], LINT_RULE_ID_SET);
  const plan = rulePlan(options.configuration, migration.appLabel, context.targets);
  const migrationLines = migrationSuppressionLines(context);
  const problems: Problem[] = suppressionProblems.map((p) => ({
    code: 'invalid-suppression',
    severity: 'warning',
    message: p.message,
    file: migration.path,
    range: p.range,
  }));
  let used: Set<Suppression> | undefined;

  for (const { rule, level, targets } of plan.rules) {
    let seen: Set<string> | undefined;
    for (const target of targets) {
      for (const finding of safely(rule, context, target)) {
        const key = `${finding.range.start.line}:${finding.range.start.character}`;
        seen ??= new Set();
        if (seen.has(key)) continue;
        seen.add(key);
        const lines = finding.site ? [finding.site.call.range.start.line, finding.site.operation.call.range.start.line] : [];
        const silencer = suppressions.find(
          (s) => suppresses(s, rule.id) && (lines.includes(s.appliesToLine) || migrationLines.includes(s.appliesToLine)),
        );
        if (silencer) {
          (used ??= new Set()).add(silencer);
          continue;
        }
        problems.push({
          code: rule.id as LintRuleId,
          severity: level,
          message: finding.message,
          file: migration.path,
          range: finding.range,
          fixes: [...(finding.fixes ?? []), suppressFix(rule.id, finding, context)].filter((fix) => fix !== undefined),
        });
      }
    }
  }
  for (const suppression of suppressions) {
    if (used?.has(suppression)) continue;
    // A rule that applies to none of this project's databases cannot be told apart from one that found nothing.
    if (suppression.rules !== 'all' && !suppression.rules.some((rule) => plan.applicable.has(rule))) continue;
    problems.push({
      code: 'unused-suppression',
      severity: 'warning',
      message: `This suppression silences nothing${suppression.rules === 'all' ? '' : ` (${suppression.rules.join(', ')})`}: remove it.`,
      file: migration.path,
      range: suppression.range,
      fixes: [editsKeepingWhatRan('Remove the suppression', [{ range: suppression.range, newText: '' }], true)],
    });
  }
  return problems;
}

/** The rules one app's migrations run: each enabled rule, its level and the targets it applies to. */
interface RulePlan {
  readonly rules: readonly { readonly rule: LintRule; readonly level: ProblemSeverity; readonly targets: readonly LintTarget[] }[];
  /** The rules that run for at least one target. */
  readonly applicable: ReadonlySet<string>;
}

/** Plans by configuration, then targets, then app: thousands of migrations share a handful. */
const plans = new WeakMap<LintConfiguration, WeakMap<readonly LintTarget[], Map<string, RulePlan>>>();

function rulePlan(configuration: LintConfiguration, app: string, targets: readonly LintTarget[]): RulePlan {
  let byTargets = plans.get(configuration);
  if (!byTargets) plans.set(configuration, (byTargets = new WeakMap()));
  let byApp = byTargets.get(targets);
  if (!byApp) byTargets.set(targets, (byApp = new Map()));
  let plan = byApp.get(app);
  if (!plan) {
    const rules: RulePlan['rules'][number][] = [];
    for (const rule of LINT_RULES) {
      const level = ruleLevel(configuration, app, rule.id, rule.severity, rule.optIn);
      const applies = distinctTargets(targets, rule);
      if (level !== 'off' && applies.length > 0) rules.push({ rule, level, targets: applies });
    }
    plan = { rules, applicable: new Set(rules.map(({ rule }) => rule.id)) };
    byApp.set(app, plan);
  }
  return plan;
}

/** One target per distinct vendor and version among those the rule applies to. */
function distinctTargets(targets: readonly LintTarget[], rule: LintRule): LintTarget[] {
  const byKey = new Map<string, LintTarget>();
  for (const target of targets) {
    if (!rule.vendors.includes(target.vendor)) continue;
    const key = `${target.vendor}:${target.version?.join('.') ?? ''}:${target.versionSource ?? ''}:${target.mariadb ? 'mariadb' : ''}`;
    if (!byKey.has(key)) byKey.set(key, target);
  }
  return [...byKey.values()];
}

/** Lines whose suppression comments cover the whole migration: the `class Migration` line (trailing or above). */
function migrationSuppressionLines(context: LintContext): number[] {
  const range = context.migration.parsed.classRange;
  return range ? [range.start.line] : [];
}

/** "Suppress for this operation": the comment on the line above the operation (or the class line). */
function suppressFix(rule: string, finding: LintFinding, context: LintContext) {
  const anchor: SourceRange | undefined = finding.site ? finding.site.call.range : context.migration.parsed.classRange;
  if (!anchor) return undefined;
  const indent = ' '.repeat(anchor.start.character);
  const title = finding.site ? 'Suppress for this operation' : 'Suppress for this migration';
  return editsKeepingWhatRan(title, [
    {
      range: { start: { line: anchor.start.line, character: 0 }, end: { line: anchor.start.line, character: 0 } },
      newText: `${indent}# django-migrations: ignore[${rule}] \n`,
    },
  ]);
}

function safely(rule: LintRule, context: LintContext, target: LintTarget): readonly LintFinding[] {
  try {
    return rule.check(context, target);
  } catch {
    // A rule that cannot read a construct reports nothing rather than a false alarm.
    return [];
  }
}
