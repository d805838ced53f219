import { callArgument, lastNamePart, PythonValue } from '../pythonValue';
import { displayText } from './models';

/**
 * `str(expression)` as Django prints an index's or constraint's expressions (the `__repr__` of
 * django/db/models/expressions.py): `F(name)`, `Lower(F(name))`, `OrderBy(Lower(F(name)),
 * descending=True)`, `Value(1)`. Func arguments that are strings are field names (`F`), other
 * literals are `Value`s, as Func._parse_expressions makes them.
 */
export function expressionText(value: PythonValue): string {
  if (value.kind === 'str') return `F(${value.value})`;
  if (value.kind !== 'call') return displayText(value);
  const callee = lastNamePart(value.callee);
  switch (callee) {
    case 'F':
      return `F(${displayText(value.args[0])})`;
    case 'Value':
      return `Value(${valueRepr(value.args[0])})`;
    case 'OrderBy': {
      const expression = callArgument(value, 0, 'expression');
      const descending = callArgument(value, 1, 'descending');
      return `OrderBy(${expression ? expressionText(expression) : 'None'}, descending=${descending ? displayText(descending) : 'False'})`;
    }
    case 'ExpressionWrapper': {
      const expression = callArgument(value, 0, 'expression');
      return `ExpressionWrapper(${expression ? expressionText(expression) : 'None'})`;
    }
    case 'Collate': {
      // The collation is an attribute, not one of Func's extra options.
      const expression = callArgument(value, 0, 'expression');
      return `Collate(${expression ? funcArgument(expression) : ''})`;
    }
    default: {
      const args = value.args.map(funcArgument).join(', ');
      const extra = value.kwargs
        .filter((k) => k.name !== 'output_field')
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((k) => `${k.name}=${displayText(k.value)}`);
      return extra.length > 0 ? `${callee}(${args}, ${extra.join(', ')})` : `${callee}(${args})`;
    }
  }
}

function funcArgument(value: PythonValue): string {
  if (value.kind === 'number' || value.kind === 'constant') return `Value(${valueRepr(value)})`;
  return expressionText(value);
}

function valueRepr(value: PythonValue | undefined): string {
  if (!value) return 'None';
  if (value.kind === 'str') return value.value.includes("'") && !value.value.includes('"') ? `"${value.value}"` : `'${value.value}'`;
  return displayText(value);
}
