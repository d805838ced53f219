import * as assert from 'node:assert/strict';
import { djangoMysqlDatabase, testMariadbUrl } from '../../db/mariadbServer';
import { appFiles, managePy, projectFolder, settingsPy } from '../../support/projectFolder';
import { runCli } from './cliProcess';

const migration = (previous: string | undefined, operations: string) =>
  `from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n\n` +
  `    dependencies = [${previous ? `('shop', '${previous}')` : ''}]\n\n    operations = [\n${operations}\n    ]\n`;

describe('check: the MySQL-family server version', function () {
  this.timeout(60_000);

  it('lints at the version the MariaDB server reports, naming MariaDB, and prints no credential', async () => {
    const database = djangoMysqlDatabase(await testMariadbUrl());
    const root = projectFolder({
      'manage.py': managePy('config.settings'),
      'config/__init__.py': '',
      'config/settings.py': settingsPy(['shop'], `DATABASES = {'default': ${JSON.stringify(database)}}`),
      ...appFiles('shop', {
        '0001_initial': migration(
          undefined,
          "        migrations.CreateModel(name='Product', fields=[('id', models.AutoField(primary_key=True))]),",
        ),
        '0002_two': migration(
          '0001_initial',
          "        migrations.AddField('product', 'a', models.IntegerField(null=True)),\n" +
            "        migrations.AddField('product', 'b', models.IntegerField(null=True)),",
        ),
      }),
    });
    const result = await runCli(['check', root, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const problems = JSON.parse(result.stdout) as { file: string; code: string; message: string }[];
    assert.deepEqual(
      problems.map((p) => [p.file, p.code]),
      [['shop/migrations/0002_two.py', 'mysql-multiple-schema-changes']],
    );
    assert.match(problems[0].message, /\(MariaDB \d+\.\d+\)/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(String(database.PASSWORD)));
  });
});
