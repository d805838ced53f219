import { callArgument } from '../pythonValue';
import { displayText, onModel, onModelName, text } from './models';
import { pythonRepr } from './operation';

/** Model operations added to django/db/migrations/operations/models.py after Django 3.2. */

/** Django 4.1: renames an index given by name, or the unnamed index of `index_together` fields. */
export const RenameIndex = onModelName((call) => {
  const model = text(call, 0, 'model_name');
  const newName = text(call, 1, 'new_name');
  const oldName = callArgument(call, 2, 'old_name');
  if (oldName && !(oldName.kind === 'constant' && oldName.value === null) && !(oldName.kind === 'str' && oldName.value === '')) {
    return `Rename index ${displayText(oldName)} on ${model} to ${newName}`;
  }
  const oldFields = callArgument(call, 3, 'old_fields');
  return `Rename unnamed index for ${oldFields ? pythonRepr(oldFields) : 'None'} on ${model} to ${newName}`;
});

/** Django 4.2: `Meta.db_table_comment`. */
export const AlterModelTableComment = onModel((call) => `Alter ${text(call, 0, 'name')} table comment`);

/** Django 5.2: a constraint change that needs no SQL (such as `violation_error_message`). */
export const AlterConstraint = onModelName((call) => `Alter constraint ${text(call, 1, 'name')} on ${text(call, 0, 'model_name')}`);
