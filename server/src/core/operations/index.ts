import { PythonCall } from '../pythonValue';
import * as fields from './fields';
import * as models from './models';
import { OperationSemantics, pythonRepr } from './operation';
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

/** The semantics of an operation class by name; custom operations get Django's base behaviour. */
export function operationSemantics(type: string): OperationSemantics {
  return BUILT_IN.get(type) ?? customOperation(type);
}
