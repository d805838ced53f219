import { Node } from 'web-tree-sitter';
import { UnbatchedWrite } from '../core/lints/lintRule';
import { nodeRange } from './nodeRange';

/** QuerySet methods that return another QuerySet over the same rows (a chain still reads them all). */
const QUERYSET_METHODS = new Set([
  'all',
  'filter',
  'exclude',
  'order_by',
  'select_related',
  'prefetch_related',
  'only',
  'defer',
  'annotate',
  'alias',
  'distinct',
  'using',
  'select_for_update',
]);
const MANAGERS = new Set(['objects', '_default_manager', '_base_manager']);
const SHOWN = 60;

/**
 * The writes of one function that go row by row over a whole queryset: a `for` over
 * `Model.objects.all()` (or a chain of filters) that calls `save()` on each row, without
 * `iterator()` or a slice; and `bulk_update(...)` without `batch_size`. Read with tree-sitter,
 * statically: a queryset reached through anything but a local name assigned once is not followed.
 */
export function readUnbatchedWrites(definition: Node): UnbatchedWrite[] {
  const body = definition.childForFieldName('body');
  if (!body) return [];
  const writes: UnbatchedWrite[] = [];
  for (const loop of body.descendantsOfType('for_statement')) {
    const variable = loop?.childForFieldName('left');
    const iterable = loop?.childForFieldName('right');
    const loopBody = loop?.childForFieldName('body');
    if (!loop || variable?.type !== 'identifier' || !iterable || !loopBody) continue;
    const queryset = iterable.type === 'identifier' ? assignedOnce(body, iterable.text) : iterable;
    if (!queryset || !isWholeQueryset(queryset)) continue;
    const save = loopBody
      .descendantsOfType('call')
      .find(
        (call) => isMethodCall(call, 'save') && call?.childForFieldName('function')?.childForFieldName('object')?.text === variable.text,
      );
    if (!save) continue;
    writes.push({ kind: 'save-per-row', range: nodeRange(loop), queryset: shorten(queryset.text) });
  }
  for (const call of body.descendantsOfType('call')) {
    if (!call || !isMethodCall(call, 'bulk_update')) continue;
    const keywords = call.childForFieldName('arguments')?.namedChildren.filter((child) => child?.type === 'keyword_argument') ?? [];
    if (keywords.some((keyword) => keyword?.childForFieldName('name')?.text === 'batch_size')) continue;
    // `**options` may hold a batch_size.
    if (call.childForFieldName('arguments')?.namedChildren.some((child) => child?.type === 'dictionary_splat')) continue;
    writes.push({ kind: 'bulk-update-unbatched', range: nodeRange(call), queryset: shorten(call.text) });
  }
  return writes;
}

/** `Model.objects.all()`, `apps.get_model('shop', 'Product').objects.filter(...).order_by(...)`: no slice, no iterator(). */
function isWholeQueryset(node: Node): boolean {
  let current: Node | null = node;
  let calls = 0;
  while (current?.type === 'call') {
    const callee = current.childForFieldName('function');
    const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
    if (!method || !QUERYSET_METHODS.has(method)) return false;
    calls++;
    current = callee!.childForFieldName('object');
  }
  return calls > 0 && current?.type === 'attribute' && MANAGERS.has(current.childForFieldName('attribute')?.text ?? '');
}

function isMethodCall(call: Node | null, method: string): boolean {
  const callee = call?.childForFieldName('function');
  return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === method;
}

/** The value of `name = value` when the function assigns the name exactly once. */
function assignedOnce(body: Node, name: string): Node | undefined {
  const values = body
    .descendantsOfType('assignment')
    .filter((assignment) => assignment?.childForFieldName('left')?.text === name)
    .map((assignment) => assignment?.childForFieldName('right'));
  return values.length === 1 && values[0] ? values[0] : undefined;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > SHOWN ? `${line.slice(0, SHOWN - 1)}…` : line;
}
