import { FixData } from '../problem';
import { LintFinding, OperationSite } from './lintRule';

/** A finding on an operation's class name (`migrations.AddIndex`), where the eye looks. */
export function siteFinding(site: OperationSite, message: string, fixes: readonly (FixData | undefined)[] = []): LintFinding {
  const present = fixes.filter((fix): fix is FixData => fix !== undefined);
  return { range: site.call.calleeRange, message, site, ...(present.length > 0 ? { fixes: present } : {}) };
}
