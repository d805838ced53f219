/**
 * Hides database passwords in text that may be logged or shown: the helper's stderr, Django's
 * error messages, DATABASES dumps. Known secret values are replaced wherever they appear; URL
 * passwords and `PASSWORD` entries are hidden even when their value was never seen.
 */

export const REDACTED = '********';

const URL_PASSWORD = /(\b[A-Za-z][\w+.-]*:\/\/[^:/?#@\s]*:)[^@/?#\s]+@/g;
const PASSWORD_ENTRY = /((['"]?)(?:[A-Z_]*PASSWORD|[a-z_]*password|passwd)\2\s*[:=]\s*)(['"])(?:(?!\3)[^\\]|\\.)+\3/g;
const CONNINFO_PASSWORD = /(\bpassword\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^\s']+)/g;
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIAL/i;

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(PASSWORD_ENTRY, `$1$3${REDACTED}$3`)
    .replace(CONNINFO_PASSWORD, `$1${REDACTED}`);
}

/**
 * Values of an environment that must never be logged: those of variables named like secrets,
 * and passwords inside URLs (`DATABASE_URL=postgres://user:secret@host/db`).
 */
export function secretsOfEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) secrets.add(value);
    for (const match of value.matchAll(URL_PASSWORD)) {
      const password = match[0].slice(match[1].length, -1);
      secrets.add(password);
      try {
        secrets.add(decodeURIComponent(password));
      } catch {
        // Not percent-encoded: the raw form is already listed.
      }
    }
  }
  return [...secrets].filter((secret) => secret.length >= 4);
}
