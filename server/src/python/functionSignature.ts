import { Node } from 'web-tree-sitter';
import { SourceRange } from '../core/sourceRange';
import { nodeRange } from './nodeRange';

/** One named parameter of a `def`, as Python binds arguments to it. */
export interface SignatureParameter {
  readonly name: string;
  readonly kind: 'positional-only' | 'positional-or-keyword' | 'keyword-only';
  readonly hasDefault: boolean;
}

/** The parameters of a `def`, enough to know whether a call binds to them without TypeError. */
export interface FunctionSignature {
  readonly nameRange: SourceRange;
  /** In order, `self` included. */
  readonly parameters: readonly SignatureParameter[];
  /** `*args`: any further positional argument is taken. */
  readonly varArgs: boolean;
  /** `**kwargs`: any further keyword argument is taken. */
  readonly varKeywords: boolean;
}

/** The signature of a `function_definition` node; undefined when any part of it cannot be read. */
export function readFunctionSignature(definition: Node): FunctionSignature | undefined {
  const name = definition.childForFieldName('name');
  const list = definition.childForFieldName('parameters');
  if (!name || !list || list.hasError) return undefined;
  const parameters: { name: string; kind: SignatureParameter['kind']; hasDefault: boolean }[] = [];
  let keywordOnly = false;
  let varArgs = false;
  let varKeywords = false;
  for (const parameter of list.namedChildren) {
    if (!parameter || parameter.type === 'comment') continue;
    // `*args: int` is a typed parameter around the splat.
    const inner = parameter.type === 'typed_parameter' ? parameter.namedChildren[0] : parameter;
    if (!inner) return undefined;
    switch (inner.type) {
      case 'positional_separator':
        // Everything before `/` is positional-only.
        for (const earlier of parameters) earlier.kind = 'positional-only';
        continue;
      case 'keyword_separator':
        keywordOnly = true;
        continue;
      case 'list_splat_pattern':
        varArgs = true;
        keywordOnly = true;
        continue;
      case 'dictionary_splat_pattern':
        varKeywords = true;
        continue;
      case 'identifier':
        parameters.push({ name: inner.text, kind: keywordOnly ? 'keyword-only' : 'positional-or-keyword', hasDefault: false });
        continue;
      case 'default_parameter':
      case 'typed_default_parameter': {
        const parameterName = inner.childForFieldName('name');
        if (parameterName?.type !== 'identifier') return undefined;
        parameters.push({ name: parameterName.text, kind: keywordOnly ? 'keyword-only' : 'positional-or-keyword', hasDefault: true });
        continue;
      }
      default:
        // Tuple parameters and anything newer than this reader: not known.
        return undefined;
    }
  }
  return { nameRange: nodeRange(name), parameters, varArgs, varKeywords };
}
