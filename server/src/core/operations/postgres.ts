import { callArgument, PythonCall } from '../pythonValue';
import { displayText, namedModel, text } from './models';
import { OperationSemantics } from './operation';

/** django.contrib.postgres.operations: extensions, concurrent indexes, collations, NOT VALID constraints. */

const withoutModel = (describe: (call: PythonCall) => string): OperationSemantics => ({
  describe,
  reversible: () => true,
  references: () => [],
});

const onModelName = (describe: (call: PythonCall) => string): OperationSemantics => ({
  describe,
  reversible: () => true,
  references: (call) => namedModel(call, 'model_name'),
});

export const CreateExtension = withoutModel((call) => `Creates extension ${text(call, 0, 'name')}`);

/** The CreateExtension subclasses that fix the extension's name. */
export const EXTENSIONS: Readonly<Record<string, string>> = {
  BloomExtension: 'bloom',
  BtreeGinExtension: 'btree_gin',
  BtreeGistExtension: 'btree_gist',
  CITextExtension: 'citext',
  CryptoExtension: 'pgcrypto',
  HStoreExtension: 'hstore',
  TrigramExtension: 'pg_trgm',
  UnaccentExtension: 'unaccent',
};

export function namedExtension(name: string): OperationSemantics {
  return withoutModel(() => `Creates extension ${name}`);
}

export const AddIndexConcurrently = onModelName((call) => {
  const index = callArgument(call, 1, 'index');
  const name = index?.kind === 'call' ? text(index, Number.MAX_SAFE_INTEGER, 'name') : displayText(index);
  const fields = index?.kind === 'call' ? callArgument(index, Number.MAX_SAFE_INTEGER, 'fields') : undefined;
  const names = fields?.kind === 'list' || fields?.kind === 'tuple' ? fields.items.map(displayText) : [];
  return `Concurrently create index ${name} on field(s) ${names.join(', ')} of model ${text(call, 0, 'model_name')}`;
});

export const RemoveIndexConcurrently = onModelName(
  (call) => `Concurrently remove index ${text(call, 1, 'name')} from ${text(call, 0, 'model_name')}`,
);

export const CreateCollation = withoutModel((call) => `Create collation ${text(call, 0, 'name')}`);
export const RemoveCollation = withoutModel((call) => `Remove collation ${text(call, 0, 'name')}`);

/** Django 4.0. */
export const AddConstraintNotValid = onModelName((call) => {
  const constraint = callArgument(call, 1, 'constraint');
  const name = constraint?.kind === 'call' ? text(constraint, Number.MAX_SAFE_INTEGER, 'name') : displayText(constraint);
  return `Create not valid constraint ${name} on model ${text(call, 0, 'model_name')}`;
});

/** Django 4.0. */
export const ValidateConstraint = onModelName(
  (call) => `Validate constraint ${text(call, 1, 'name')} on model ${text(call, 0, 'model_name')}`,
);
