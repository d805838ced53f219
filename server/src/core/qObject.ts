import { Deconstructed } from './deconstructed';

/**
 * Q.deconstruct(): the children (positional arguments, then keyword lookups sorted by name) as
 * arguments, so `Q(price__gte=0)` and the writer's `Q(('price__gte', 0))` are the same object.
 */
export function qObject(args: readonly Deconstructed[], kwargs: readonly (readonly [string, Deconstructed])[]): Deconstructed {
  const connector = kwargs.find(([k]) => k === '_connector');
  const negated = kwargs.find(([k]) => k === '_negated');
  const lookups = kwargs.filter(([k]) => k !== '_connector' && k !== '_negated').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const children: Deconstructed[] = [
    ...args,
    ...lookups.map(([k, v]): Deconstructed => ({ kind: 'tuple', items: [{ kind: 'str', value: k }, v] })),
  ];
  const extra: (readonly [string, Deconstructed])[] = [];
  if (connector && !(connector[1].kind === 'str' && connector[1].value === 'AND')) extra.push(connector);
  if (negated && !(negated[1].kind === 'constant' && negated[1].value === false))
    extra.push(['_negated', { kind: 'constant', value: true }]);
  return { kind: 'call', path: 'django.db.models.Q', args: children, kwargs: extra };
}
