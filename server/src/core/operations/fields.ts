import { callArgument, PythonCall } from '../pythonValue';
import { fieldReferences } from './fieldReferences';
import { displayText, namedModel } from './models';
import { ModelReference, OperationSemantics } from './operation';

/** Field operations, as in django/db/migrations/operations/fields.py. */

const text = (call: PythonCall, position: number, keyword: string): string => displayText(callArgument(call, position, keyword));

const withField = (call: PythonCall): ModelReference[] => [
  ...namedModel(call, 'model_name'),
  ...fieldReferences(callArgument(call, 2, 'field')),
];

export const AddField: OperationSemantics = {
  describe: (call) => `Add field ${text(call, 1, 'name')} to ${text(call, 0, 'model_name')}`,
  reversible: () => true,
  references: withField,
  reverseLoses: 'undoing it drops the column and its values',
};

export const RemoveField: OperationSemantics = {
  describe: (call) => `Remove field ${text(call, 1, 'name')} from ${text(call, 0, 'model_name')}`,
  reversible: () => true,
  references: (call) => namedModel(call, 'model_name'),
  reverseLoses: 'undoing it adds the column back without its old values',
};

export const AlterField: OperationSemantics = {
  describe: (call) => `Alter field ${text(call, 1, 'name')} on ${text(call, 0, 'model_name')}`,
  reversible: () => true,
  references: withField,
  reverseLoses: 'undoing it converts the column back; values the old definition cannot hold are cut or rejected',
};

export const RenameField: OperationSemantics = {
  describe: (call) => `Rename field ${text(call, 1, 'old_name')} on ${text(call, 0, 'model_name')} to ${text(call, 2, 'new_name')}`,
  reversible: () => true,
  references: (call) => namedModel(call, 'model_name'),
};
