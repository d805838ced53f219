import { SourceRange } from './sourceRange';

/**
 * A Python expression as a migration file writes it, reduced to what migrations use: literals,
 * containers, dotted names and calls. Anything else (comprehensions, lambdas, operators, ...) is
 * `opaque`: kept with its source text so nothing is lost, never interpreted.
 */
export type PythonValue =
  PythonString | PythonNumber | PythonConstant | PythonSequence | PythonDict | PythonName | PythonCall | PythonOpaque;

interface ValueBase {
  readonly range: SourceRange;
}

export interface PythonString extends ValueBase {
  readonly kind: 'str';
  readonly value: string;
}

export interface PythonNumber extends ValueBase {
  readonly kind: 'number';
  readonly value: number;
  readonly text: string;
}

/** `True`, `False` and `None`. */
export interface PythonConstant extends ValueBase {
  readonly kind: 'constant';
  readonly value: boolean | null;
}

export interface PythonSequence extends ValueBase {
  readonly kind: 'list' | 'tuple' | 'set';
  readonly items: readonly PythonValue[];
}

export interface PythonDict extends ValueBase {
  readonly kind: 'dict';
  readonly entries: readonly { readonly key: PythonValue; readonly value: PythonValue }[];
}

/** A name or attribute chain such as `settings.AUTH_USER_MODEL`, kept as its dotted text. */
export interface PythonName extends ValueBase {
  readonly kind: 'name';
  readonly dotted: string;
}

export interface PythonCall extends ValueBase {
  readonly kind: 'call';
  /** Dotted text of the callee (`migrations.AddField`), or its source text when it is not a name. */
  readonly callee: string;
  readonly calleeRange: SourceRange;
  readonly args: readonly PythonValue[];
  readonly kwargs: readonly PythonKeyword[];
}

export interface PythonKeyword {
  readonly name: string;
  readonly nameRange: SourceRange;
  readonly value: PythonValue;
}

export interface PythonOpaque extends ValueBase {
  readonly kind: 'opaque';
  readonly text: string;
}

export function stringValue(value: PythonValue | undefined): string | undefined {
  return value?.kind === 'str' ? value.value : undefined;
}

/** The argument Django would bind to a parameter: keyword first, else the positional slot. */
export function callArgument(call: PythonCall, position: number, keyword: string): PythonValue | undefined {
  const byKeyword = call.kwargs.find((k) => k.name === keyword);
  if (byKeyword) return byKeyword.value;
  return call.args[position];
}

/** The last part of a dotted name: `migrations.AddField` -> `AddField`. */
export function lastNamePart(dotted: string): string {
  const dot = dotted.lastIndexOf('.');
  return dot < 0 ? dotted : dotted.slice(dot + 1);
}
