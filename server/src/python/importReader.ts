import { Node } from 'web-tree-sitter';
import { SourceRange } from '../core/sourceRange';
import { nodeRange } from './nodeRange';

/** A name an import statement brings in: `name as alias`, or `*`. */
export interface ImportedName {
  readonly name: string;
  readonly alias?: string;
}

/** One module named by an import statement. */
export interface ImportedModule {
  /** `shop.models`, or relative with its leading dots: `.base`, `..`. */
  readonly module: string;
  /** For `from m import a, b as c`: a and b (alias c); for `import m`: empty. */
  readonly names: readonly ImportedName[];
  /** `import m as x`: x. */
  readonly moduleAlias?: string;
  /** The whole statement. */
  readonly range: SourceRange;
}

/** The modules an `import`, `from ... import` or `from __future__ import` statement names. */
export function readImportStatement(node: Node, type: string = node.type): ImportedModule[] {
  if (type !== 'import_statement' && type !== 'import_from_statement' && type !== 'future_import_statement') {
    return [];
  }
  const range = nodeRange(node);
  const children = node.namedChildren.map((child) => ({ node: child, type: child.type }));
  const parts = children.filter((child) => child.type !== 'comment' && child.type !== 'ERROR');
  if (type === 'import_statement') {
    const modules: ImportedModule[] = [];
    for (const part of parts) {
      const imported = importedName(part.node, part.type);
      if (!imported) continue;
      modules.push({ module: imported.name, names: [], range, ...(imported.alias ? { moduleAlias: imported.alias } : {}) });
    }
    return modules;
  }
  // `from __future__ import x` has no module_name child: the grammar folds it into the keyword.
  const future = type === 'future_import_statement';
  const first = parts[0];
  const module = future ? '__future__' : first && moduleName(first.node, first.type);
  if (module === undefined) return [];
  const names: ImportedName[] = [];
  for (const part of future ? parts : parts.slice(1)) {
    if (part.type === 'wildcard_import') {
      names.push({ name: '*' });
    } else {
      const imported = importedName(part.node, part.type);
      if (imported) names.push(imported);
    }
  }
  return [{ module, names, range }];
}

function importedName(node: Node, type: string): ImportedName | undefined {
  if (type === 'dotted_name') {
    const name = dotted(node);
    return name === undefined ? undefined : { name };
  }
  if (type !== 'aliased_import') return undefined;
  const nameNode = node.childForFieldName('name');
  const alias = node.childForFieldName('alias');
  const name = nameNode ? dotted(nameNode) : undefined;
  if (name === undefined) return undefined;
  return alias ? { name, alias: alias.text } : { name };
}

function moduleName(node: Node, type: string): string | undefined {
  if (type === 'dotted_name') return dotted(node);
  if (type !== 'relative_import') return undefined;
  let dots = '';
  let rest = '';
  for (const child of node.namedChildren) {
    const childType = child.type;
    if (childType === 'import_prefix') dots = child.text.replace(/[^.]/g, '');
    else if (childType === 'dotted_name') rest = dotted(child) ?? '';
  }
  return dots + rest;
}

/** A dotted_name as one string; `os . path` (legal Python) is `os.path`. */
function dotted(node: Node): string | undefined {
  const text = node.text;
  if (!/[\s#\\]/.test(text)) return text;
  const parts: string[] = [];
  for (const part of node.namedChildren) {
    if (part.type === 'identifier') parts.push(part.text);
  }
  return parts.length > 0 ? parts.join('.') : undefined;
}
