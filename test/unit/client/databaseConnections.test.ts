import * as assert from 'node:assert/strict';
import { databaseConnections, legacyConnectionsWarning } from '../../../client/src/tree/databaseConnections';

describe('djangoMigrations.databases.connections', () => {
  it('reads the aliases of the setting', () => {
    const read = databaseConnections({ default: 'sqlite:///db.sqlite3', replica: { HOST: 'replica' } }, undefined);
    assert.deepEqual(read.connections, { default: 'sqlite:///db.sqlite3', replica: { HOST: 'replica' } });
    assert.deepEqual(read.legacyAliases, []);
    assert.equal(legacyConnectionsWarning(read.legacyAliases), undefined);
  });

  it('still reads aliases written under the former djangoMigrations.databases, and names them to move', () => {
    // VS Code fills the former setting's value with the settings nested below it.
    const legacy = {
      default: 'postgres://app@localhost:5432/shop',
      local: { NAME: 'db.sqlite3' },
      connections: { other: 'sqlite:///other.sqlite3' },
      refreshInterval: 10,
      defaultAlias: 'default',
    };
    const read = databaseConnections({ other: 'sqlite:///other.sqlite3' }, legacy);
    assert.deepEqual(read.connections, {
      default: 'postgres://app@localhost:5432/shop',
      local: { NAME: 'db.sqlite3' },
      other: 'sqlite:///other.sqlite3',
    });
    assert.deepEqual(read.legacyAliases, ['default', 'local']);
    assert.equal(
      legacyConnectionsWarning(read.legacyAliases),
      "Django Migrations: the `djangoMigrations.databases` setting is deprecated; move its aliases 'default', 'local' to " +
        '`djangoMigrations.databases.connections` (same format).',
    );
  });

  it('lets the new setting win over the former one for the same alias', () => {
    const read = databaseConnections({ default: 'sqlite:///new.sqlite3' }, { default: 'sqlite:///old.sqlite3' });
    assert.deepEqual(read.connections, { default: 'sqlite:///new.sqlite3' });
    assert.deepEqual(read.legacyAliases, []);
  });

  it('ignores values that are neither a URL nor DATABASES fields', () => {
    const read = databaseConnections({ a: 3, b: ['x'], c: null }, 'postgres://not-an-object');
    assert.deepEqual(read.connections, {});
    assert.deepEqual(read.legacyAliases, []);
  });
});
