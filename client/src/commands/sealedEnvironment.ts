import { createDecipheriv, randomBytes } from 'node:crypto';

/**
 * This window's key for the task environments the server seals (`TaskEnvironmentAnswer`): made
 * once, given to every server this window starts through its process environment, never sent in
 * an LSP message.
 */
export const SEALING_KEY = randomBytes(32);

/** The variables of a `sealedEnv`; throws when it was not sealed with `key` or was altered. */
export function openSealedEnvironment(sealed: string, key: Buffer = SEALING_KEY): Record<string, string> {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  return JSON.parse(text) as Record<string, string>;
}
