/**
 * Polls `probe` until it returns a value other than undefined; fails after `timeoutMs` with
 * "timed out waiting for WHAT". For states the extension reaches on its own (activation, a server
 * publishing diagnostics), where there is no event to await.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls until `condition` holds; fails after `timeoutMs` like waitFor. */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs?: number): Promise<void> {
  await waitFor(what, () => (condition() ? true : undefined), timeoutMs);
}
