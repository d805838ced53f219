import { DatabaseSettings } from '../db/databaseSettings';
import { readServerVersion } from '../db/serverVersion';

/** How long a server version read stays good: servers are upgraded rarely, and asking costs a connection. */
const VERSION_TTL_MS = 5 * 60 * 1000;

/**
 * The server versions of the configured databases, asked at most once every few minutes per
 * server (by where it is, never by password). Undefined for a server that cannot be asked.
 */
export class ServerVersions {
  private readonly cache = new Map<string, { at: number; version: Promise<string | undefined> }>();

  get(settings: DatabaseSettings): Promise<string | undefined> {
    const { password: _password, ...where } = settings;
    const key = JSON.stringify(where);
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < VERSION_TTL_MS) return cached.version;
    const version = readServerVersion(settings);
    this.cache.set(key, { at: Date.now(), version });
    return version;
  }
}
