import { callArgument, PythonCall } from '../../pythonValue';
import { fieldCallOf, FieldCall } from '../fieldCall';
import { LintContext, OperationSite } from '../lintRule';
import { modelNameOf, operationSites } from '../operationSites';

/**
 * The definition an AlterField replaces (or a RenameField renames, by `old_name`): the last AddField/AlterField/CreateModel of the same
 * field earlier in this migration, else what the project state says. Undefined when neither
 * knows: the rules that compare then stay silent.
 */
export function fieldBefore(context: LintContext, site: OperationSite, keyword = 'name'): FieldCall | undefined {
  const model = modelNameOf(site.call);
  const name = callArgument(site.call, 1, keyword);
  if (model === undefined || name?.kind !== 'str') return undefined;
  return fieldCallOf(
    fieldBeforeInFile(context, site, keyword) ?? context.state?.fieldBefore?.(context.migration.appLabel, model, name.value),
  );
}

/** The last definition of the field written earlier in this migration file, if any. */
export function fieldBeforeInFile(context: LintContext, site: OperationSite, keyword = 'name'): PythonCall | undefined {
  const model = modelNameOf(site.call);
  const name = callArgument(site.call, 1, keyword);
  if (model === undefined || name?.kind !== 'str') return undefined;
  let found: PythonCall | undefined;
  for (const other of operationSites(context.migration)) {
    if (other.call === site.call) break;
    if ((other.type === 'AddField' || other.type === 'AlterField') && modelNameOf(other.call) === model) {
      const otherName = callArgument(other.call, 1, 'name');
      const field = callArgument(other.call, 2, 'field');
      if (otherName?.kind === 'str' && otherName.value === name.value && field?.kind === 'call') found = field;
    }
    if (other.type === 'CreateModel' && modelNameOf(other.call, 'name') === model) {
      const fields = callArgument(other.call, 1, 'fields');
      if (fields?.kind !== 'list' && fields?.kind !== 'tuple') continue;
      for (const entry of fields.items) {
        if (entry.kind !== 'tuple' || entry.items.length !== 2) continue;
        const [fieldName, field] = entry.items;
        if (fieldName.kind === 'str' && fieldName.value === name.value && field.kind === 'call') found = field;
      }
    }
  }
  return found;
}
