import { migrationKey } from '../migration';
import { Problem } from '../problem';
import { GraphCheck } from './check';

/**
 * A squashed migration whose replaced files are all gone still lists `replaces`: Django's docs
 * say to finish the transition by removing the attribute, making it an ordinary migration.
 */
export const unfinishedSquash: GraphCheck = (loaded) => {
  const problems: Problem[] = [];
  for (const migration of loaded.replacements.values()) {
    const replaced = migration.parsed.replaces;
    if (replaced.some((r) => loaded.diskMigrations.has(migrationKey(r.app, r.name)))) continue;
    const range = migration.parsed.attributeRanges.replaces;
    if (!range) continue;
    problems.push({
      code: 'unfinished-squash',
      severity: 'information',
      message:
        `All ${replaced.length} migrations this squash replaces are gone. Finish the squash once every database has ` +
        `applied it: point the dependents at it and remove \`replaces\`, so it becomes an ordinary migration.`,
      file: migration.path,
      range,
      fixes: [{ fix: 'finish-squash', app: migration.appLabel, name: migration.name }],
    });
  }
  return problems;
};
