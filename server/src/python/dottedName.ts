import { Node } from 'web-tree-sitter';

/** Longer attribute chains are not names anyone writes; the bound keeps the loop finite. */
const MAX_DEPTH = 200;

/** `a.b.c` written without spaces or comments: the common case, read from the text alone. */
const PLAIN_DOTTED = /^[\p{L}\p{Nl}_][\p{L}\p{N}\p{M}\p{Pc}]*(?:\.[\p{L}\p{Nl}_][\p{L}\p{N}\p{M}\p{Pc}]*)*$/u;

/** The dotted text of a name or attribute chain (`migrations.AddField`), else undefined. */
export function dottedName(node: Node, type: string = node.type): string | undefined {
  if (type === 'identifier') return node.text;
  if (type !== 'attribute') return undefined;
  const text = node.text;
  if (PLAIN_DOTTED.test(text)) return text;
  let suffix = '';
  let current: Node | null = node;
  for (let depth = 0; current && depth < MAX_DEPTH; depth++) {
    const currentType: string = current.type;
    if (currentType === 'identifier') return current.text + suffix;
    if (currentType !== 'attribute') return undefined;
    const attribute = current.childForFieldName('attribute');
    if (!attribute) return undefined;
    suffix = '.' + attribute.text + suffix;
    current = current.childForFieldName('object');
  }
  return undefined;
}
