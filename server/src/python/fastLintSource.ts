import { FunctionSignature } from '../core/lints/lintRule';
import { SourceComment } from '../core/lints/suppressions';
import { SourceRange } from '../core/sourceRange';
import { LintSource } from './lintSourceReader';
import { isUnbatchedBulkUpdate, unbatchedBulkUpdate } from './unbatchedWrites';

/** A `bulk_update` call met in a function body, with its offsets in the text. */
interface BulkUpdateCall {
  readonly start: number;
  readonly end: number;
  readonly range: SourceRange;
  readonly text: string;
}

/**
 * What `readWithTree` reads (comments, module-level function signatures), gathered by the fast
 * reader as it reads: each comment as it is skipped, each `def f(a, b):` with the unbatched
 * `bulk_update` calls of its body. The reader accepts no `for` statement, so those calls are
 * all the unbatched writes a function it reads can hold.
 */
export class FastLintSource {
  private readonly comments: SourceComment[] = [];
  private readonly functions: FunctionSignature[] = [];
  /** The current function body's calls; undefined outside function bodies. */
  private calls: BulkUpdateCall[] | undefined;

  comment(text: string, range: SourceRange, ownLine: boolean): void {
    this.comments.push({ text, range, ownLine });
  }

  startFunction(): void {
    this.calls = [];
  }

  /** A method call read in full; `text` gives its source only when it is kept. */
  methodCall(method: string, keywords: readonly string[], start: number, end: number, range: SourceRange, text: () => string): void {
    if (this.calls && isUnbatchedBulkUpdate(method, keywords)) this.calls.push({ start, end, range, text: text() });
  }

  /** `def name(parameters):`, whose parentheses span `parametersRange`, read with its body. */
  endFunction(name: string, nameRange: SourceRange, parameters: readonly string[], parametersRange: SourceRange): void {
    // A call ends after the calls in its callee and arguments: the tree lists each before them.
    const calls = this.calls!.sort((a, b) => a.start - b.start || b.end - a.end);
    this.calls = undefined;
    this.functions.push({
      name,
      nameRange,
      plainParametersRange: parametersRange,
      positional: [...parameters],
      defaults: 0,
      varArgs: false,
      ...(calls.length > 0 ? { unbatchedWrites: calls.map((call) => unbatchedBulkUpdate(call.range, call.text)) } : {}),
    });
  }

  result(): LintSource {
    return { comments: this.comments, functions: this.functions };
  }
}
