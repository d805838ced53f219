import { Node } from 'web-tree-sitter';
import { FunctionSignature } from '../core/lints/lintRule';
import { SourceComment } from '../core/lints/suppressions';
import { readLintSourceFast } from './fastMigrationReader';
import { nodeRange } from './nodeRange';
import { ParseTimeLimitError, PythonParser } from './pythonParser';
import { readUnbatchedWrites } from './unbatchedWrites';

/** What the lint rules read from a migration file besides its Migration class. */
export interface LintSource {
  readonly comments: readonly SourceComment[];
  /** Module-level functions with their parameters (RunPython's `code`). */
  readonly functions: readonly FunctionSignature[];
}

/** Whether the text can hold what the rules read: most migrations have neither a suppression nor a RunPython. */
export function needsLintSource(text: string): boolean {
  return text.includes('django-migrations') || text.includes('RunPython');
}

/**
 * Comments and module-level function signatures: by the fast reader when it reads the file,
 * else with tree-sitter. Never throws.
 */
export function readLintSource(parser: PythonParser, text: string): LintSource {
  if (!needsLintSource(text)) return { comments: [], functions: [] };
  try {
    return readLintSourceFast(text) ?? readWithTree(parser, text);
  } catch (error) {
    // The file's own diagnostic says it was not analysed.
    if (error instanceof ParseTimeLimitError) return { comments: [], functions: [] };
    throw error;
  }
}

/** The same read with a tree, throwing ParseTimeLimitError when the parse ran out of time. */
export function readWithTree(parser: PythonParser, text: string): LintSource {
  const lines = text.split(/\r\n|\r|\n/);
  return parser.withTree(text, (tree) => {
    const comments: SourceComment[] = tree.rootNode.descendantsOfType('comment').flatMap((node) => {
      if (!node) return [];
      const { row, column } = node.startPosition;
      return [{ text: node.text, range: nodeRange(node), ownLine: (lines[row] ?? '').slice(0, column).trim() === '' }];
    });
    const functions: FunctionSignature[] = [];
    for (const child of tree.rootNode.namedChildren) {
      const definition = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      if (definition?.type !== 'function_definition') continue;
      const signature = readSignature(definition);
      if (signature) functions.push(signature);
    }
    return { comments, functions };
  });
}

function readSignature(definition: Node): FunctionSignature | undefined {
  const name = definition.childForFieldName('name');
  const parameters = definition.childForFieldName('parameters');
  if (!name || !parameters || parameters.hasError) return undefined;
  const positional: string[] = [];
  let defaults = 0;
  let varArgs = false;
  for (const parameter of parameters.namedChildren) {
    if (!parameter) continue;
    const type = parameter.type;
    // After `*` or `*args` only keyword arguments follow.
    if (type === 'list_splat_pattern') {
      varArgs = true;
      break;
    }
    if (type === 'keyword_separator') break;
    if (type === 'dictionary_splat_pattern' || type === 'positional_separator') continue;
    if (type === 'identifier') positional.push(parameter.text);
    else if (type === 'typed_parameter') positional.push(parameter.namedChildren[0]?.text ?? '');
    else if (type === 'default_parameter' || type === 'typed_default_parameter') {
      positional.push(parameter.childForFieldName('name')?.text ?? '');
      defaults++;
    }
  }
  const unbatchedWrites = readUnbatchedWrites(definition);
  const plain = parameters.namedChildren.every((parameter) => parameter?.type === 'identifier');
  return {
    name: name.text,
    nameRange: nodeRange(name),
    ...(plain ? { plainParametersRange: nodeRange(parameters) } : {}),
    positional,
    defaults,
    varArgs,
    ...(unbatchedWrites.length > 0 ? { unbatchedWrites } : {}),
  };
}
