/** Items per claim: small enough to even out the threads' finish, large enough to claim rarely. */
const BATCH_SIZE = 32;

export interface SharedParseBatches<T> {
  readonly items: readonly T[];
  /** One Int32: the next batch to hand out, shared by every thread. */
  readonly next: SharedArrayBuffer;
}

/** A list of work handed out in batches to whichever thread asks first. */
export class ParseBatches<T> {
  private readonly next: Int32Array;

  constructor(
    private readonly items: readonly T[],
    next = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
  ) {
    this.next = new Int32Array(next);
  }

  /** The same batches, received by a worker thread. */
  static fromShared<T>(shared: SharedParseBatches<T>): ParseBatches<T> {
    return new ParseBatches(shared.items, shared.next);
  }

  shared(): SharedParseBatches<T> {
    return { items: this.items, next: this.next.buffer as SharedArrayBuffer };
  }

  /** Claims batches until none is left, calling `work` with each item and its index. */
  drain(work: (item: T, index: number) => void): void {
    for (;;) {
      const start = Atomics.add(this.next, 0, 1) * BATCH_SIZE;
      if (start >= this.items.length) return;
      const end = Math.min(start + BATCH_SIZE, this.items.length);
      for (let index = start; index < end; index++) work(this.items[index], index);
    }
  }
}
