import { djangoAtLeast, DjangoVersion } from './djangoVersion';

/** A field of a CreateModel, with the models it points at (`app_label.model_name`, lowercase). */
export interface OptimizerField {
  readonly name: string;
  readonly relations: readonly string[];
}

/**
 * What Django's optimizer reads of an operation (django/db/migrations/operations/*.py): its class,
 * the model and field it names, and the models its fields or bases point at. The autodetector's
 * operations carry more; reductions keep it with `{ ...operation }`.
 */
export interface OptimizerOperation {
  /** Django's operation class: `CreateModel`, `AddField`, ... */
  readonly type: string;
  /** `name` of a model operation, `model_name` of a field, index or constraint operation. */
  readonly model: string;
  /** `name` of a field operation; RenameField's `old_name`. */
  readonly field?: string;
  /** RenameModel's and RenameField's `new_name`, RenameIndex's `new_name`. */
  readonly newName?: string;
  /** CreateModel: its fields. */
  readonly fields?: readonly OptimizerField[];
  /** CreateModel: its bases; AddField, AlterField: its field's targets (`app_label.model_name`, lowercase). */
  readonly relations?: readonly string[];
  /** CreateModel with `proxy=True`. */
  readonly proxy?: boolean;
  /** AddIndex, RemoveIndex, RenameIndex (`old_name`), AddConstraint, RemoveConstraint, AlterConstraint: the name. */
  readonly index?: string;
}

const MODEL_OPTION_OPERATIONS = new Set([
  'AlterModelTable',
  'AlterModelTableComment',
  'AlterUniqueTogether',
  'AlterIndexTogether',
  'AlterOrderWithRespectTo',
  'AlterModelOptions',
  'AlterModelManagers',
]);
const TOGETHER_OPERATIONS = new Set(['AlterUniqueTogether', 'AlterIndexTogether']);
const FIELD_OPERATIONS = new Set(['AddField', 'RemoveField', 'AlterField', 'RenameField']);

/**
 * Django's MigrationOptimizer (django/db/migrations/optimizer.py): reduces pairs of operations
 * until nothing changes, each operation's `reduce()` saying what a pair becomes, as the Django
 * release `version` has them.
 */
export function optimize<T extends OptimizerOperation>(operations: readonly T[], appLabel: string, version: DjangoVersion): T[] {
  let current = [...operations];
  for (;;) {
    const result = optimizeInner(current, appLabel, version);
    if (result.length === current.length && result.every((operation, i) => operation === current[i])) return result;
    current = result;
  }
}

function optimizeInner<T extends OptimizerOperation>(operations: readonly T[], appLabel: string, version: DjangoVersion): T[] {
  const newOperations: T[] = [];
  for (let i = 0; i < operations.length; i++) {
    const operation = operations[i];
    // Reduce on the right while every operation in between could be passed over.
    let right = true;
    let reduced = false;
    for (let j = i + 1; j < operations.length; j++) {
      const other = operations[j];
      const result = reduce(operation, other, appLabel, version);
      if (Array.isArray(result)) {
        const inBetween = operations.slice(i + 1, j);
        if (right) {
          newOperations.push(...inBetween, ...(result as T[]));
        } else if (inBetween.every((between) => reduce(between, other, appLabel, version) === true)) {
          // A left reduction: everything in between can optimize through `other`.
          newOperations.push(...(result as T[]), ...inBetween);
        } else {
          newOperations.push(operation);
          reduced = true;
          break;
        }
        newOperations.push(...operations.slice(j + 1));
        return newOperations;
      } else if (!result) {
        right = false;
      }
    }
    if (!reduced) newOperations.push(operation);
  }
  return newOperations;
}

/**
 * `operation.reduce(other, app_label)`: the operations the pair becomes, `true` when `other` can
 * be optimized across `operation`, `false` when it cannot.
 */
export function reduce<T extends OptimizerOperation>(operation: T, other: T, appLabel: string, version: DjangoVersion): T[] | boolean {
  switch (operation.type) {
    case 'CreateModel':
      return reduceCreateModel(operation, other, appLabel, version);
    case 'DeleteModel':
      return modelOperationReduce(operation, other, appLabel);
    case 'RenameModel':
      if (other.type === 'RenameModel' && lower(operation.newName) === lower(other.model))
        return [{ ...operation, newName: other.newName }];
      return !referencesModel(other, operation.newName ?? '', appLabel);
    case 'AddField':
      if (FIELD_OPERATIONS.has(other.type) && sameField(operation, other)) {
        if (other.type === 'AlterField') return [{ ...operation, relations: other.relations }];
        if (other.type === 'RemoveField') return [];
        if (other.type === 'RenameField') return [{ ...operation, field: other.newName }];
      }
      return fieldOperationReduce(operation, other, appLabel);
    case 'RemoveField':
      if (other.type === 'DeleteModel' && lower(other.model) === lower(operation.model)) return [other];
      return fieldOperationReduce(operation, other, appLabel);
    case 'AlterField': {
      const replaced = other.type === 'RemoveField' || (other.type === 'AlterField' && djangoAtLeast(version, 5, 0));
      if (replaced && sameField(operation, other)) return [other];
      if (other.type === 'RenameField' && sameField(operation, other)) return [other, { ...operation, field: other.newName } as T];
      return fieldOperationReduce(operation, other, appLabel);
    }
    case 'RenameField':
      if (other.type === 'RenameField' && sameModel(operation, other) && lower(operation.newName) === lower(other.field))
        return [{ ...operation, newName: other.newName }];
      return !(
        referencesField(other, operation.model, operation.field ?? '', appLabel) ||
        referencesField(other, operation.model, operation.newName ?? '', appLabel)
      );
    case 'AddIndex':
      if (djangoAtLeast(version, 5, 0) && sameModel(operation, other) && operation.index === other.index) {
        if (other.type === 'RemoveIndex') return [];
        if (other.type === 'RenameIndex') return [{ ...operation, index: other.newName }];
      }
      return false;
    case 'AddConstraint':
      if (djangoAtLeast(version, 5, 1) && sameModel(operation, other) && operation.index === other.index) {
        if (other.type === 'RemoveConstraint') return [];
        if (other.type === 'AlterConstraint') return [{ ...operation }];
      }
      return false;
    case 'AlterConstraint':
      if (
        (other.type === 'AlterConstraint' || other.type === 'RemoveConstraint') &&
        sameModel(operation, other) &&
        operation.index === other.index
      )
        return [other];
      return false;
  }
  if (MODEL_OPTION_OPERATIONS.has(operation.type)) {
    if ((other.type === operation.type || other.type === 'DeleteModel') && lower(operation.model) === lower(other.model)) return [other];
    // From 4.1 unique_together and index_together pass over each other.
    if (djangoAtLeast(version, 4, 1) && TOGETHER_OPERATIONS.has(operation.type) && TOGETHER_OPERATIONS.has(other.type))
      return other.type !== operation.type || modelOperationReduce(operation, other, appLabel);
    return modelOperationReduce(operation, other, appLabel);
  }
  // Operation.reduce(): nothing is known to pass over an operation of another kind.
  return false;
}

function reduceCreateModel<T extends OptimizerOperation>(operation: T, other: T, appLabel: string, version: DjangoVersion): T[] | boolean {
  const same = lower(operation.model) === lower(other.model);
  if (other.type === 'DeleteModel' && same && !operation.proxy) return [];
  if (other.type === 'RenameModel' && same) return [{ ...operation, model: other.newName }];
  if (same && absorbsOption(other.type, version)) return [operation];
  if (same && FIELD_OPERATIONS.has(other.type)) {
    const fields = operation.fields ?? [];
    const name = lower(other.field);
    switch (other.type) {
      case 'AddField':
        return [{ ...operation, fields: [...fields, { name: other.field ?? '', relations: other.relations ?? [] }] }];
      case 'AlterField':
        return [
          { ...operation, fields: fields.map((f) => (lower(f.name) === name ? { name: f.name, relations: other.relations ?? [] } : f)) },
        ];
      case 'RemoveField':
        return [{ ...operation, fields: fields.filter((f) => lower(f.name) !== name) }];
      case 'RenameField':
        return [{ ...operation, fields: fields.map((f) => (lower(f.name) === name ? { ...f, name: other.newName ?? f.name } : f)) }];
    }
  }
  if (same && absorbsIndex(other.type, version)) return [operation];
  return modelOperationReduce(operation, other, appLabel);
}

/** The Meta options CreateModel takes in, by the release that taught its reduce() each. */
function absorbsOption(type: string, version: DjangoVersion): boolean {
  switch (type) {
    case 'AlterModelOptions':
    case 'AlterUniqueTogether':
    case 'AlterIndexTogether':
    case 'AlterOrderWithRespectTo':
      return true;
    case 'AlterModelManagers':
      return djangoAtLeast(version, 4, 1);
    case 'AlterModelTable':
    case 'AlterModelTableComment':
      return djangoAtLeast(version, 5, 1);
  }
  return false;
}

function absorbsIndex(type: string, version: DjangoVersion): boolean {
  if (type === 'AddIndex' || type === 'RemoveIndex') return djangoAtLeast(version, 4, 2);
  if (type === 'AddConstraint' || type === 'RemoveConstraint') return djangoAtLeast(version, 5, 1);
  return false;
}

/** ModelOperation.reduce(): `other` passes over when it does not reference this model. */
function modelOperationReduce(operation: OptimizerOperation, other: OptimizerOperation, appLabel: string): boolean {
  return !referencesModel(other, operation.model, appLabel);
}

/** FieldOperation.reduce(): `other` passes over when it does not reference this field. */
function fieldOperationReduce(operation: OptimizerOperation, other: OptimizerOperation, appLabel: string): boolean {
  return !referencesField(other, operation.model, operation.field ?? '', appLabel);
}

/** `operation.references_model(name, app_label)`. */
export function referencesModel(operation: OptimizerOperation, name: string, appLabel: string): boolean {
  const key = `${appLabel}.${name.toLowerCase()}`;
  const points = (relations: readonly string[] | undefined) => (relations ?? []).includes(key);
  switch (operation.type) {
    case 'CreateModel':
      return (
        lower(operation.model) === lower(name) || points(operation.relations) || (operation.fields ?? []).some((f) => points(f.relations))
      );
    case 'RenameModel':
      return lower(operation.model) === lower(name) || lower(operation.newName) === lower(name);
    case 'AddField':
    case 'AlterField':
      return lower(operation.model) === lower(name) || points(operation.relations);
    case 'RemoveField':
    case 'RenameField':
      return lower(operation.model) === lower(name);
    case 'DeleteModel':
      // The deleted model could be referencing `name` through its related fields.
      return true;
  }
  if (MODEL_OPTION_OPERATIONS.has(operation.type)) return lower(operation.model) === lower(name);
  // Operation.references_model(): an operation that does not say is assumed to.
  return true;
}

/**
 * `operation.references_field(model_name, name, app_label)`. A relation is taken to reference
 * every field of its model, as one without `to_field` does.
 */
export function referencesField(operation: OptimizerOperation, modelName: string, name: string, appLabel: string): boolean {
  const key = `${appLabel}.${modelName.toLowerCase()}`;
  if (FIELD_OPERATIONS.has(operation.type)) {
    if (lower(operation.model) === lower(modelName)) {
      if (lower(operation.field) === lower(name)) return true;
      if (operation.type === 'RenameField' && lower(operation.newName) === lower(name)) return true;
    }
    return (operation.relations ?? []).includes(key);
  }
  // Operation.references_field(): whatever references the model references its fields.
  return referencesModel(operation, modelName, appLabel);
}

function sameModel(a: OptimizerOperation, b: OptimizerOperation): boolean {
  return lower(a.model) === lower(b.model);
}

/** is_same_field_operation(). */
function sameField(a: OptimizerOperation, b: OptimizerOperation): boolean {
  return sameModel(a, b) && lower(a.field) === lower(b.field);
}

function lower(text: string | undefined): string {
  return (text ?? '').toLowerCase();
}
