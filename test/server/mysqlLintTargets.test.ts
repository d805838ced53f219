import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { createMariadbDatabase, djangoMysqlDatabase, dropMariadbDatabase, testMariadbUrl } from '../db/mariadbServer';
import { LspClient } from './lspClient';
import { djangoProject, TemporaryWorkspace } from './temporaryWorkspace';

const INITIAL =
  'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    initial = True\n\n    dependencies = []\n\n' +
  "    operations = [\n        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True)), ('name', models.CharField(max_length=100))]),\n    ]\n";
const TWO_CHANGES =
  "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n    dependencies = [('shop', '0001_initial')]\n\n" +
  "    operations = [\n        migrations.AddField('product', 'price', models.IntegerField(null=True)),\n" +
  "        migrations.AddField('product', 'stock', models.IntegerField(null=True)),\n    ]\n";

/**
 * The MySQL family's server version in the editor: read from a trusted workspace's server
 * (MariaDB says so), never asked for in Restricted Mode, where the settings chose the host.
 */
describe('server: MySQL and MariaDB lint targets', function () {
  this.timeout(120_000);
  let workspace: TemporaryWorkspace;
  const clients: LspClient[] = [];

  before(async () => {
    workspace = await TemporaryWorkspace.create();
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.shutdown().catch(() => client.kill())));
    await workspace?.dispose();
  });

  async function open(name: string, database: Record<string, unknown>, trusted: boolean) {
    const files = djangoProject(['shop'], { 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_two.py': TWO_CHANGES });
    files['config/settings.py'] += `DATABASES = {'default': ${JSON.stringify(database)}}\n`;
    const root = await workspace.writeProject(name, files);
    const { client } = await LspClient.start({ folders: [root], initializationOptions: { trusted } });
    clients.push(client);
    const uri = await client.open(path.join(root, 'shop/migrations/0002_two.py'), TWO_CHANGES);
    const diagnostics = await client.diagnosticsWhen(uri, (items) => items.some((d) => d.code === 'mysql-multiple-schema-changes'), 30_000);
    return diagnostics.find((d) => d.code === 'mysql-multiple-schema-changes')!.message;
  }

  it('a trusted workspace reads the version from its MariaDB server', async () => {
    const databaseUrl = await createMariadbDatabase(await testMariadbUrl(), 'lintserver');
    try {
      const message = await open('trusted_mariadb', djangoMysqlDatabase(databaseUrl), true);
      assert.match(message, /\(MariaDB \d+\.\d+\)/);
      assert.doesNotMatch(message, /assumed/);
    } finally {
      await dropMariadbDatabase(databaseUrl);
    }
  });

  it('Restricted Mode opens no connection to the host the settings name, and assumes the oldest supported MySQL; trusted, it does', async () => {
    const connections: net.Socket[] = [];
    const listener = net.createServer((socket) => {
      connections.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as net.AddressInfo;
      const database = {
        ENGINE: 'django.db.backends.mysql',
        NAME: 'shop',
        USER: 'alice',
        PASSWORD: 'secret',
        HOST: '127.0.0.1',
        PORT: port,
      };
      const message = await open('restricted_mysql', database, false);
      assert.match(message, /MySQL \d+\.\d+ \(assumed: the oldest version the project's Django supports/);
      assert.equal(connections.length, 0);
      // The same settings trusted: the server is asked (and, refusing, leaves the version assumed).
      const trusted = await open('trusted_mysql', database, true);
      assert.match(trusted, /assumed/);
      assert.ok(connections.length > 0);
    } finally {
      listener.close();
    }
  });
});
