import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { Location, MarkupContent } from 'vscode-languageserver-protocol';
import { fileUri, LspClient } from './lspClient';
import { rangeInFile } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';
import { djangoPython } from '../support/testDjango';
import { waitFor } from '../support/waitFor';

/** Between migrations and models.py: definition into the models, hover and references out of them. */
describe('server: navigation between models and migrations', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  let dir: string;

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    dir = await workspace.copyFixture('model_changes');
    // The first migration is applied, the others not: the hover says which.
    execFileSync(djangoPython, ['manage.py', 'migrate', 'catalog', '0001', '--noinput'], { cwd: dir, stdio: 'ignore' });
    ({ client } = await LspClient.start({ folders: [dir] }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const models = () => path.join(dir, 'catalog', 'models.py');
  const migration = (name: string) => path.join(dir, 'catalog', 'migrations', `${name}.py`);
  const inside = (file: string, snippet: string, offset: number, occurrence = 0) => {
    const start = rangeInFile(file, snippet, occurrence).start;
    return { line: start.line, character: start.character + offset };
  };
  const declaration = (snippet: string): Location => ({ uri: fileUri(models()), range: rangeInFile(models(), snippet) });
  const lineOf = (location: Location) => `${path.basename(new URL(location.uri).pathname)}:${location.range.start.line + 1}`;
  const lineIn = (file: string, snippet: string, occurrence = 0) =>
    `${path.basename(file)}:${rangeInFile(file, snippet, occurrence).start.line + 1}`;
  const hoverLines = async (file: string, position: { line: number; character: number }) =>
    ((await client.hover(file, position))?.contents as MarkupContent | undefined)?.value.split('\n');

  describe('definition from a migration', function () {
    it("goes from a model_name, a CreateModel's name and an 'app.Model' string to the class in models.py", async function () {
      const product = declaration('Product');
      const changes = migration('0002_product_title');
      const initial = migration('0001_initial');
      const link = migration('0003_link');
      assert.deepEqual(await client.definition(changes, inside(changes, "model_name='product'", 13)), [product]);
      assert.deepEqual(await client.definition(initial, inside(initial, "name='Product'", 7)), [product]);
      assert.deepEqual(await client.definition(link, inside(link, "to='catalog.product'", 8)), [product]);
      assert.deepEqual(await client.definition(initial, inside(initial, "name='Tag'", 7)), [declaration('Tag')]);
    });

    it('goes from a field name to its line in models.py, through a later RenameField', async function () {
      const initial = migration('0001_initial');
      const title = declaration('title = models.CharField(max_length=100)');
      // CreateModel wrote the field as `name`; 0002 renamed it to `title`, as models.py has it now.
      assert.deepEqual(await client.definition(initial, inside(initial, "('name', models.CharField", 3)), [title]);
      const changes = migration('0002_product_title');
      assert.deepEqual(await client.definition(changes, inside(changes, "old_name='name'", 11)), [title]);
      assert.deepEqual(await client.definition(changes, inside(changes, "new_name='title'", 11)), [title]);
    });

    it('goes from a field inherited from an abstract mixin to the mixin', async function () {
      const initial = migration('0001_initial');
      assert.deepEqual(await client.definition(initial, inside(initial, "('created',", 3)), [
        declaration('created = models.DateTimeField(default=timezone.now)'),
      ]);
    });

    it('still goes to the CreateModel of a model that models.py no longer has', async function () {
      const link = migration('0003_link');
      const initial = migration('0001_initial');
      const [location] = (await client.definition(link, inside(link, "name='Tagging'", 7))) as Location[];
      assert.equal(location.uri, fileUri(initial));
      assert.equal(lineOf(location), lineIn(initial, "name='Tagging'"));
    });
  });

  describe('in models.py', function () {
    it('hovers a model with the migrations that created and altered it, and whether each is applied', async function () {
      const lines = await hoverLines(models(), inside(models(), 'class Product(', 7));
      // Fourteen operations: the last twelve are listed, the first two summed up.
      assert.deepEqual(lines?.slice(0, 3), ['Model **catalog.Product**', '', '- ... 2 earlier operations']);
      assert.equal(lines?.length, 3 + 12);
      assert.ok(lines?.includes('- altered in `catalog.0002_product_title`: Rename field name on product to title (not applied)'));
      assert.ok(
        lines?.includes('- altered in `catalog.0003_link`: Rename table for product to (default) (not applied)'),
        lines?.join('\n'),
      );
    });

    it('hovers a field with its history through a rename, and where each migration is applied', async function () {
      const position = inside(models(), 'title = models.CharField(max_length=100)', 2);
      // The database is read in the background.
      const lines = await waitFor('the applied state', async () => {
        const found = await hoverLines(models(), position);
        return found?.some((line) => line.includes('(applied')) ? found : undefined;
      });
      assert.equal(lines.length, 4, lines.join('\n'));
      assert.deepEqual(lines.slice(0, 2), ['Field **catalog.Product.title**', '']);
      assert.match(lines[2], /^- created in `catalog\.0001_initial`: Create model Product \(applied \d{4}-\d\d-\d\d.*\)$/);
      assert.equal(lines[3], '- renamed in `catalog.0002_product_title`: Rename field name on product to title (not applied)');
    });

    it('hovers nothing but models and fields', async function () {
      assert.equal(await client.hover(models(), inside(models(), 'class PublishedManager', 8)), null);
      assert.equal(await client.hover(models(), { line: 0, character: 0 }), null);
    });

    it('finds every operation that touches a field, and the model, through renames', async function () {
      const initial = migration('0001_initial');
      const changes = migration('0002_product_title');
      const fieldLocations = (await client.references(models(), inside(models(), 'title = models.CharField(max_length=100)', 2))) ?? [];
      assert.deepEqual(fieldLocations.map(lineOf), [
        lineIn(initial, 'migrations.CreateModel('),
        lineIn(changes, 'migrations.RenameField('),
      ]);
      const modelLocations = (await client.references(models(), inside(models(), 'class Product(', 7))) ?? [];
      const lines = modelLocations.map(lineOf);
      assert.ok(lines.includes(lineIn(initial, 'migrations.CreateModel(')), lines.join(' '));
      assert.ok(lines.includes(lineIn(initial, 'migrations.AlterUniqueTogether(')), lines.join(' '));
      assert.ok(lines.includes(lineIn(migration('0003_link'), 'migrations.AlterModelTable(')), lines.join(' '));
      assert.ok(!lines.includes(lineIn(initial, 'migrations.CreateModel(', 1)), 'not the CreateModel of Tag');
    });
  });
});
