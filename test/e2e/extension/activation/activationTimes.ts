import { reportPrefix } from '../runMocha';

/** Marks the extension-host console line that carries the measurement (JSON of ActivationTimes). */
export const activationPrefix = `${reportPrefix}activation `;

/** What test/e2e/extension/activation measures in the extension host; read by bench/activationBench.ts. */
export interface ActivationTimes {
  /** From the `activate()` call (loading dist/client.js included) to the language client being ready. */
  readonly readyMs: number;
  /** From the same call to the first answer that needs the whole index (workspace symbols). */
  readonly indexedMs: number;
}
