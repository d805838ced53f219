import { FunctionSignature } from './functionSignature';

/**
 * The TypeError Python raises when a call with `positional` positional arguments and these
 * keyword names is bound to a method with this signature (`self` given), or undefined when it
 * binds. Python's own words, in the order CPython checks: keywords, then the positional count,
 * then what is missing.
 */
export function bindingError(
  qualifiedName: string,
  signature: FunctionSignature,
  positional: number,
  keywords: readonly string[],
): string | undefined {
  const [self, ...parameters] = signature.parameters;
  if (!self || self.kind === 'keyword-only') return undefined;
  const positionalParameters = parameters.filter((p) => p.kind !== 'keyword-only');
  const filled = new Set(positionalParameters.slice(0, positional).map((p) => p.name));
  for (const keyword of keywords) {
    const parameter = parameters.find((p) => p.name === keyword && p.kind !== 'positional-only');
    if (!parameter) {
      if (signature.varKeywords) continue;
      if (parameters.some((p) => p.name === keyword))
        return `${qualifiedName}() got some positional-only arguments passed as keyword arguments: '${keyword}'`;
      return `${qualifiedName}() got an unexpected keyword argument '${keyword}'`;
    }
    if (filled.has(keyword)) return `${qualifiedName}() got multiple values for argument '${keyword}'`;
    filled.add(keyword);
  }
  if (positional > positionalParameters.length && !signature.varArgs) {
    const most = positionalParameters.length + 1;
    const least = positionalParameters.filter((p) => !p.hasDefault).length + 1;
    const takes = least === most ? `${most}` : `from ${least} to ${most}`;
    return `${qualifiedName}() takes ${takes} positional argument${most === 1 ? '' : 's'} but ${positional + 1} were given`;
  }
  for (const kind of ['positional', 'keyword-only'] as const) {
    const missing = parameters.filter(
      (p) => !p.hasDefault && !filled.has(p.name) && (kind === 'keyword-only') === (p.kind === 'keyword-only'),
    );
    if (missing.length > 0) {
      const names = missing.map((p) => `'${p.name}'`);
      const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      return `${qualifiedName}() missing ${missing.length} required ${kind} argument${missing.length === 1 ? '' : 's'}: ${listed}`;
    }
  }
  return undefined;
}
