import { Node } from 'web-tree-sitter';
import { UnbatchedWrite } from '../core/lints/lintRule';
import { SourceRange } from '../core/sourceRange';
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
    const callee = call?.childForFieldName('function');
    if (!call || callee?.type !== 'attribute') continue;
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    // `**options` may hold a batch_size.
    if (args.some((child) => child?.type === 'dictionary_splat')) continue;
    const keywords = args.flatMap((child) => (child?.type === 'keyword_argument' ? [child.childForFieldName('name')?.text] : []));
    if (isUnbatchedBulkUpdate(callee.childForFieldName('attribute')?.text, keywords)) {
      writes.push(unbatchedBulkUpdate(nodeRange(call), call.text));
    }
  }
  return writes;
}

/**
 * Whether a call of the method `method` with these keyword arguments (and no `**options`, which
 * may hold one) is a `bulk_update` without `batch_size`.
 */
export function isUnbatchedBulkUpdate(method: string | undefined, keywords: readonly (string | undefined)[]): boolean {
  return method === 'bulk_update' && !keywords.includes('batch_size');
}

/** The write of such a call, from its range and its text as written. */
export function unbatchedBulkUpdate(range: SourceRange, callText: string): UnbatchedWrite {
  return { kind: 'bulk-update-unbatched', range, queryset: shorten(callText) };
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
