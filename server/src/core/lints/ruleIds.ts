/** Every lint rule's id: diagnostic codes, configuration keys and suppression comments use them. */
export const LINT_RULE_IDS = [
  'add-field-not-null',
  'alter-field-not-null',
  'alter-field-type',
  'add-field-default-rewrite',
  'remove-field',
  'delete-model',
  'rename-field',
  'rename-model',
  'add-index-non-concurrent',
  'remove-index-non-concurrent',
  'concurrent-index-in-atomic-migration',
  'add-unique-constraint',
  'add-foreign-key',
  'add-check-constraint',
  'mysql-multiple-schema-changes',
  'mysql-identifier-too-long',
  'sqlite-table-rebuild',
  'run-sql-ddl',
  'run-python-not-elidable',
  'run-python-unbatched',
  'run-python-signature',
] as const;

export type LintRuleId = (typeof LINT_RULE_IDS)[number];
