import { djangoAtLeast, DjangoVersion, NEWEST_LTS } from '../djangoVersion';
import { PythonCall } from '../pythonValue';
import * as fields from './fields';
import * as models from './models';
import * as newerModels from './newerModels';
import { OperationSemantics, pythonRepr } from './operation';
import * as postgres from './postgres';
import * as special from './special';

const BUILT_IN: ReadonlyMap<string, OperationSemantics> = new Map(
  Object.entries({
    CreateModel: models.CreateModel,
    DeleteModel: models.DeleteModel,
    RenameModel: models.RenameModel,
    AlterModelTable: models.AlterModelTable,
    AlterUniqueTogether: models.AlterUniqueTogether,
    AlterIndexTogether: models.AlterIndexTogether,
    AlterModelOptions: models.AlterModelOptions,
    AlterModelManagers: models.AlterModelManagers,
    AlterOrderWithRespectTo: models.AlterOrderWithRespectTo,
    AddIndex: models.AddIndex,
    RemoveIndex: models.RemoveIndex,
    AddConstraint: models.AddConstraint,
    RemoveConstraint: models.RemoveConstraint,
    AddField: fields.AddField,
    RemoveField: fields.RemoveField,
    AlterField: fields.AlterField,
    RenameField: fields.RenameField,
    RunSQL: special.RunSQL,
    RunPython: special.RunPython,
    SeparateDatabaseAndState: special.SeparateDatabaseAndState,
  }),
);

/** Operations that appeared after Django 3.2, with the release that added them. */
const SINCE: ReadonlyMap<string, readonly [number, number, OperationSemantics]> = new Map(
  Object.entries({
    RenameIndex: [4, 1, newerModels.RenameIndex],
    AlterModelTableComment: [4, 2, newerModels.AlterModelTableComment],
    AlterConstraint: [5, 2, newerModels.AlterConstraint],
    AddConstraintNotValid: [4, 0, postgres.AddConstraintNotValid],
    ValidateConstraint: [4, 0, postgres.ValidateConstraint],
  }),
);

/** django.contrib.postgres.operations of Django 3.2 (besides those in SINCE). */
const POSTGRES: ReadonlyMap<string, OperationSemantics> = new Map([
  ['CreateExtension', postgres.CreateExtension],
  ...Object.entries(postgres.EXTENSIONS).map(([type, name]): [string, OperationSemantics] => [type, postgres.namedExtension(name)]),
  ['AddIndexConcurrently', postgres.AddIndexConcurrently],
  ['RemoveIndexConcurrently', postgres.RemoveIndexConcurrently],
  ['CreateCollation', postgres.CreateCollation],
  ['RemoveCollation', postgres.RemoveCollation],
]);

/** Django's base `Operation`: `describe()` prints the class name and constructor arguments. */
function customOperation(type: string): OperationSemantics {
  return {
    describe: (call: PythonCall) => {
      const args = call.args.map(pythonRepr);
      const positional = args.length === 1 ? `(${args[0]},)` : `(${args.join(', ')})`;
      const keywords = call.kwargs.map((k) => `'${k.name}': ${pythonRepr(k.value)}`).join(', ');
      return `${type}: (${positional}, {${keywords}})`;
    },
    reversible: () => true,
    references: () => [],
  };
}

/**
 * The semantics of an operation class by name in the project's Django `version`: Django's and
 * contrib.postgres's operations as that release defines them; custom operations, and operations
 * the release does not have yet, get Django's base behaviour.
 */
export function operationSemantics(type: string, version: DjangoVersion = NEWEST_LTS): OperationSemantics {
  const builtIn = BUILT_IN.get(type) ?? POSTGRES.get(type);
  if (builtIn) return builtIn;
  const since = SINCE.get(type);
  if (since && djangoAtLeast(version, since[0], since[1])) return since[2];
  return customOperation(type);
}
