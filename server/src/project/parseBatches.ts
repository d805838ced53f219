/** Files per claim: small enough to even out the threads' finish, large enough to claim rarely. */
const BATCH_SIZE = 32;

export interface SharedParseBatches {
  readonly files: readonly string[];
  /** One Int32: the next batch to hand out, shared by every thread. */
  readonly next: SharedArrayBuffer;
}

/** A list of files handed out in batches to whichever thread asks first. */
export class ParseBatches {
  private readonly next: Int32Array;

  constructor(
    private readonly files: readonly string[],
    next = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.next = new Int32Array(next);
  }

  /** The same batches, received by a worker thread. */
  static fromShared(shared: SharedParseBatches): ParseBatches {
    return new ParseBatches(shared.files, shared.next);
  }

  shared(): SharedParseBatches {
    return { files: this.files, next: this.next.buffer as SharedArrayBuffer };
  }

  /** The next batch's index range in `files`, or undefined when every batch is taken. */
  claim(): { readonly start: number; readonly end: number } | undefined {
    const start = Atomics.add(this.next, 0, 1) * BATCH_SIZE;
    return start < this.files.length ? { start, end: Math.min(start + BATCH_SIZE, this.files.length) } : undefined;
  }

  get(index: number): string {
    return this.files[index];
  }
}
