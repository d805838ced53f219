import { createCipheriv, randomBytes } from 'node:crypto';
import { TASK_ENVIRONMENT_KEY_VARIABLE } from '../../../protocol/index';

/**
 * The client's key for the task environments it asks for (see `TaskEnvironmentAnswer`), read
 * once and removed from `environment`; undefined when the server was started without one.
 */
export function takeSealingKey(environment: Record<string, string | undefined>): Buffer | undefined {
  const text = environment[TASK_ENVIRONMENT_KEY_VARIABLE];
  delete environment[TASK_ENVIRONMENT_KEY_VARIABLE];
  const key = text ? Buffer.from(text, 'base64') : undefined;
  return key?.length === 32 ? key : undefined;
}

/** `variables` as JSON, sealed with AES-256-GCM: base64 of IV (12 bytes), tag (16), ciphertext. */
export function sealEnvironment(variables: Readonly<Record<string, string>>, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(variables), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}
