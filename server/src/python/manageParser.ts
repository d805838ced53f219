import { Node } from 'web-tree-sitter';
import { PythonParser } from './pythonParser';
import { dottedName } from './dottedName';
import { readValue } from './valueReader';

const VARIABLE = 'DJANGO_SETTINGS_MODULE';
const ENVIRONMENT = new Set(['os.environ', 'environ']);

/**
 * The settings module that a `manage.py` (or `wsgi.py`, `asgi.py`) puts in
 * DJANGO_SETTINGS_MODULE: `os.environ.setdefault('DJANGO_SETTINGS_MODULE', '...')`, an
 * assignment `os.environ['DJANGO_SETTINGS_MODULE'] = '...'`, or `os.environ.update({...})`.
 * Taken in source order, as Python runs them: an assignment replaces, `setdefault` only fills in.
 * Undefined when the file sets none as a literal string.
 */
export function settingsModuleFromManage(parser: PythonParser, text: string): string | undefined {
  return parser.withTree(text, (tree) => {
    let module: string | undefined;
    const pending: Node[] = [tree.rootNode];
    while (pending.length > 0) {
      const node = pending.pop() as Node;
      const found = settingsModuleAt(node);
      if (found && (found.replaces || module === undefined)) module = found.module;
      const children = node.namedChildren;
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
    return module;
  });
}

function settingsModuleAt(node: Node): { module: string; replaces: boolean } | undefined {
  const type = node.type;
  if (type === 'assignment') {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const object = left?.type === 'subscript' ? left.childForFieldName('value') : null;
    const key = left?.type === 'subscript' ? left.childForFieldName('subscript') : null;
    if (!object || !key || !right || !ENVIRONMENT.has(dottedName(object) ?? '')) return undefined;
    const name = readValue(key);
    const value = readValue(right);
    if (name.kind !== 'str' || name.value !== VARIABLE || value.kind !== 'str') return undefined;
    return { module: value.value, replaces: true };
  }
  if (type !== 'call') return undefined;
  const call = readValue(node);
  if (call.kind !== 'call') return undefined;
  const dot = call.callee.lastIndexOf('.');
  const receiver = call.callee.slice(0, dot);
  const method = call.callee.slice(dot + 1);
  if (dot < 0 || !ENVIRONMENT.has(receiver)) return undefined;
  const [first, second] = call.args;
  if (method === 'setdefault' && first?.kind === 'str' && first.value === VARIABLE && second?.kind === 'str') {
    return { module: second.value, replaces: false };
  }
  if (method === 'update' && first?.kind === 'dict') {
    const entry = first.entries.find((e) => e.key.kind === 'str' && e.key.value === VARIABLE);
    if (entry?.value.kind === 'str') return { module: entry.value.value, replaces: true };
  }
  return undefined;
}
