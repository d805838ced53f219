import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DocumentSymbol, Location, MarkupContent, SymbolInformation, SymbolKind } from 'vscode-languageserver-protocol';
import { DjangoProject } from '../django/djangoProject';
import { fileUri, LspClient } from './lspClient';
import { classNameRange, rangeInFile, rangeOf } from './sourceRanges';
import { TemporaryWorkspace } from './temporaryWorkspace';

describe('server: navigation', function () {
  let workspace: TemporaryWorkspace;
  let client: LspClient;
  describe('in a project with a circular dependency', function () {
    let cyclic: LspClient;
    let books: string;
    let authors: string;

    before(async function () {
      const cycle = await workspace.copyFixture('cycle');
      books = path.join(cycle, 'books/migrations/0001_initial.py');
      authors = path.join(cycle, 'authors/migrations/0002_author_favourite_book.py');
      // Django's plan never ends on a cyclic graph; the server must not follow it there.
      ({ client: cyclic } = await LspClient.start({ folders: [cycle], answerTimeoutMs: 5000 }));
    });

    after(async function () {
      await cyclic?.shutdown().catch(() => cyclic.kill());
    });

    it('still goes to definition and finds references', async function () {
      assert.deepEqual(await cyclic.definition(authors, inside(authors, "('books', '0001_initial')", 12)), [className(books)]);
      assert.deepEqual(await cyclic.references(books, { line: 0, character: 0 }), [
        { uri: fileUri(authors), range: rangeInFile(authors, "('books', '0001_initial')") },
      ]);
    });

    it('answers a hover on a dependency in the cycle with what that migration does', async function () {
      const hover = await cyclic.hover(authors, inside(authors, "('books', '0001_initial')", 12));
      const { value } = hover!.contents as MarkupContent;
      assert.match(value, /^\*\*books\.0001_initial\*\*\n/);
      assert.match(value, /\n- Create model Book$/);
      // And it still answers afterwards.
      assert.equal((await cyclic.documentSymbols(books))?.length, 1);
    });
  });

  /** `migrate --plan` on an empty database for cross_app_foreign_keys, from Django itself. */
  let djangoPlan: PlannedMigration[];
  const dirs: Record<string, string> = {};

  before(async function () {
    workspace = await TemporaryWorkspace.create();
    for (const scenario of ['cross_app_foreign_keys', 'swappable_custom_user', 'squashed', 'conflict', 'missing_dependency']) {
      dirs[scenario] = await workspace.copyFixture(scenario);
    }
    djangoPlan = await migratePlan('cross_app_foreign_keys');
    ({ client } = await LspClient.start({ folders: Object.values(dirs) }));
  });

  after(async function () {
    await client?.shutdown().catch(() => client.kill());
    await workspace?.dispose();
  });

  const file = (project: string, relative: string) => path.join(dirs[project], relative);
  const className = (migration: string): Location => ({ uri: fileUri(migration), range: classNameRange(readFileSync(migration, 'utf8')) });
  const at = (migration: string, snippet: string, occurrence = 0) => rangeInFile(migration, snippet, occurrence).start;
  const inside = (migration: string, snippet: string, offset: number) => {
    const start = at(migration, snippet);
    return { line: start.line, character: start.character + offset };
  };

  describe('definition', function () {
    const orderCategory = () => file('cross_app_foreign_keys', 'orders/migrations/0002_order_category.py');
    const auto = () => file('cross_app_foreign_keys', 'catalog/migrations/0002_auto_20261121_1403.py');

    it('goes from anywhere on a dependency tuple to the class name of the migration it names', async function () {
      const tuple = "('catalog', '0002_auto_20261121_1403')";
      for (const offset of [0, 3, 20, tuple.length - 1]) {
        assert.deepEqual(
          await client.definition(orderCategory(), inside(orderCategory(), tuple, offset)),
          [className(auto())],
          `offset ${offset}`,
        );
      }
    });

    it('finds nothing just outside the tuple or on other code', async function () {
      const tuple = rangeInFile(orderCategory(), "('catalog', '0002_auto_20261121_1403')");
      const afterComma = { line: tuple.end.line, character: tuple.end.character + 1 };
      assert.deepEqual(await client.definition(orderCategory(), afterComma), []);
      assert.deepEqual(await client.definition(orderCategory(), at(orderCategory(), 'dependencies')), []);
      assert.deepEqual(await client.definition(orderCategory(), { line: 0, character: 0 }), []);
    });

    it("goes from swappable_dependency(settings.AUTH_USER_MODEL) to accounts' first migration", async function () {
      const blog = file('swappable_custom_user', 'blog/migrations/0001_initial.py');
      const accounts = file('swappable_custom_user', 'accounts/migrations/0001_initial.py');
      assert.deepEqual(await client.definition(blog, inside(blog, 'migrations.swappable_dependency(settings.AUTH_USER_MODEL)', 40)), [
        className(accounts),
      ]);
    });

    it("goes from to='app.Model' and model_name= to the model's class in models.py", async function () {
      const catalogModels = file('cross_app_foreign_keys', 'catalog/models.py');
      const ordersModels = file('cross_app_foreign_keys', 'orders/models.py');
      const ordersInitial = file('cross_app_foreign_keys', 'orders/migrations/0001_initial.py');
      const featured = file('cross_app_foreign_keys', 'catalog/migrations/0003_product_featured_order.py');
      const cases: [string, { line: number; character: number }, string, string][] = [
        [ordersInitial, inside(ordersInitial, "to='catalog.product'", 6), catalogModels, 'Product'],
        [auto(), inside(auto(), "model_name='product'", 13), catalogModels, 'Product'],
        [auto(), inside(auto(), "to='catalog.category'", 8), catalogModels, 'Category'],
        [orderCategory(), inside(orderCategory(), "to='catalog.category'", 8), catalogModels, 'Category'],
        [featured, inside(featured, "to='orders.order'", 6), ordersModels, 'Order'],
      ];
      for (const [from, position, to, name] of cases) {
        assert.deepEqual(
          await client.definition(from, position),
          [{ uri: fileUri(to), range: rangeInFile(to, name) }],
          `${from} ${JSON.stringify(position)}`,
        );
      }
    });

    it('goes from to=settings.AUTH_USER_MODEL to the swapped-in user model', async function () {
      const blog = file('swappable_custom_user', 'blog/migrations/0001_initial.py');
      const accounts = file('swappable_custom_user', 'accounts/migrations/0001_initial.py');
      assert.deepEqual(await client.definition(blog, inside(blog, 'to=settings.AUTH_USER_MODEL', 12)), [
        { uri: fileUri(accounts), range: rangeInFile(accounts, "'User'") },
      ]);
    });
  });

  describe('hover', function () {
    it("lists a dependency's operations as Django describes them and its step in Django's plan", async function () {
      const orderCategory = file('cross_app_foreign_keys', 'orders/migrations/0002_order_category.py');
      const tuple = "('catalog', '0002_auto_20261121_1403')";
      const hover = await client.hover(orderCategory, inside(orderCategory, tuple, 15));
      assert.ok(hover);
      assert.deepEqual(hover.range, rangeInFile(orderCategory, tuple));
      const { kind, value } = hover.contents as MarkupContent;
      assert.equal(kind, 'markdown');
      const step = djangoPlan.findIndex((m) => m.key === 'catalog.0002_auto_20261121_1403') + 1;
      assert.ok(step > 0, JSON.stringify(djangoPlan));
      assert.deepEqual(value.split('\n'), [
        '**catalog.0002_auto_20261121_1403**',
        `Step ${step} of ${djangoPlan.length} in the plan from an empty database.`,
        '',
        '- Create model Category',
        '- Add field category to product',
      ]);
    });

    it("gives, for every dependency in the project, Django's step and Django's description of each operation", async function () {
      let checked = 0;
      for (const [index, { key, operations }] of djangoPlan.entries()) {
        const [app, name] = key.split('.');
        const dependents =
          (await client.references(file('cross_app_foreign_keys', `${app}/migrations/${name}.py`), { line: 0, character: 0 })) ?? [];
        for (const location of dependents) {
          const hover = await client.hover(location.uri, location.range.start);
          assert.deepEqual(
            (hover?.contents as MarkupContent).value.split('\n'),
            [
              `**${key}**`,
              `Step ${index + 1} of ${djangoPlan.length} in the plan from an empty database.`,
              '',
              ...operations.map((o) => `- ${o}`),
            ],
            `${key} from ${location.uri}`,
          );
          checked++;
        }
      }
      assert.equal(checked, 6, 'every dependency of cross_app_foreign_keys');
    });

    it('says when a dependency names a migration that does not exist', async function () {
      const order = file('missing_dependency', 'shop/migrations/0003_order.py');
      const hover = await client.hover(order, inside(order, "('shop', '0002_product_price')", 12));
      assert.match(
        (hover?.contents as MarkupContent).value,
        /\*\*shop\.0002_product_price\*\* does not exist: Django will stop with NodeNotFoundError/,
      );
    });

    it('says that a migration a squash replaces is replaced in the plan', async function () {
      const report = file('squashed', 'reports/migrations/0001_initial.py');
      const hover = await client.hover(report, inside(report, "('shop', '0002_product_price')", 12));
      assert.deepEqual((hover?.contents as MarkupContent).value.split('\n'), [
        '**shop.0002_product_price**',
        'Replaced by a squashed migration in the plan.',
        '',
        '- Add field price to product',
      ]);
    });

    it('describes an operation under the cursor, with its reversibility', async function () {
      const auto = file('cross_app_foreign_keys', 'catalog/migrations/0002_auto_20261121_1403.py');
      const hover = await client.hover(auto, inside(auto, 'migrations.AddField', 12));
      assert.deepEqual(hover, {
        contents: { kind: 'markdown', value: 'Add field category to product (reversible)' },
        range: rangeInFile(auto, 'migrations.AddField'),
      });
      assert.equal(await client.hover(auto, { line: 0, character: 2 }), null);
    });
  });

  describe('references', function () {
    it('lists every dependency tuple that names a migration, from anywhere in its file', async function () {
      const auto = file('cross_app_foreign_keys', 'catalog/migrations/0002_auto_20261121_1403.py');
      const featured = file('cross_app_foreign_keys', 'catalog/migrations/0003_product_featured_order.py');
      const orderCategory = file('cross_app_foreign_keys', 'orders/migrations/0002_order_category.py');
      const tuple = "('catalog', '0002_auto_20261121_1403')";
      const expected = sorted([
        { uri: fileUri(featured), range: rangeInFile(featured, tuple) },
        { uri: fileUri(orderCategory), range: rangeInFile(orderCategory, tuple) },
      ]);
      assert.deepEqual(sorted((await client.references(auto, at(auto, 'class Migration'))) ?? []), expected);
      // From a tuple naming it, in another file.
      assert.deepEqual(sorted((await client.references(orderCategory, inside(orderCategory, tuple, 5))) ?? []), expected);
      // With the declaration: the class name of the migration itself.
      assert.deepEqual(
        sorted((await client.references(auto, { line: 0, character: 0 }, true)) ?? []),
        sorted([...expected, className(auto)]),
      );
    });

    it("includes the squash's replaces entry", async function () {
      const price = file('squashed', 'shop/migrations/0002_product_price.py');
      const sku = file('squashed', 'shop/migrations/0003_product_sku.py');
      const report = file('squashed', 'reports/migrations/0001_initial.py');
      const squash = file('squashed', 'shop/migrations/0001_squashed_0003_product_sku.py');
      const tuple = "('shop', '0002_product_price')";
      assert.deepEqual(
        sorted((await client.references(price, at(price, 'class Migration'))) ?? []),
        sorted([
          { uri: fileUri(sku), range: rangeInFile(sku, tuple) },
          { uri: fileUri(report), range: rangeInFile(report, tuple) },
          { uri: fileUri(squash), range: rangeInFile(squash, tuple) },
        ]),
      );
    });

    it('finds none for a leaf migration', async function () {
      const featured = file('cross_app_foreign_keys', 'catalog/migrations/0003_product_featured_order.py');
      assert.deepEqual(await client.references(featured, { line: 0, character: 0 }), []);
    });
  });

  describe('symbols', function () {
    it('outlines the Migration class with its operations as children', async function () {
      const auto = file('cross_app_foreign_keys', 'catalog/migrations/0002_auto_20261121_1403.py');
      const text = readFileSync(auto, 'utf8');
      const symbols = (await client.documentSymbols(auto)) as DocumentSymbol[];
      const classStart = rangeOf(text, 'class Migration(').start;
      const lastLine = text.trimEnd().split('\n').length - 1;
      /** The `)` closing the n-th operation call, written on its own line. */
      const callEnd = (n: number) => ({ line: rangeOf(text, '        ),', n).start.line, character: 9 });
      assert.deepEqual(symbols, [
        {
          name: 'catalog.0002_auto_20261121_1403',
          detail: 'Migration',
          kind: SymbolKind.Class,
          range: { start: classStart, end: { line: lastLine, character: text.trimEnd().split('\n')[lastLine].length } },
          selectionRange: classNameRange(text),
          children: [
            {
              name: 'Create model Category',
              detail: 'CreateModel',
              kind: SymbolKind.Event,
              range: { start: rangeOf(text, 'migrations.CreateModel(').start, end: callEnd(0) },
              selectionRange: rangeOf(text, 'migrations.CreateModel'),
            },
            {
              name: 'Add field category to product',
              detail: 'AddField',
              kind: SymbolKind.Event,
              range: { start: rangeOf(text, 'migrations.AddField(').start, end: callEnd(1) },
              selectionRange: rangeOf(text, 'migrations.AddField'),
            },
          ],
        },
      ]);
    });

    it('finds shop.0002 migrations in the workspace by "shop0002"', async function () {
      const symbols = (await client.workspaceSymbols('shop0002')) as SymbolInformation[];
      const found = symbols.map((s) => [s.name, s.kind, s.containerName, s.location.uri]).sort();
      const migration = (project: string, name: string) => file(project, `shop/migrations/${name}.py`);
      assert.deepEqual(
        found,
        [
          ['shop.0002_price', SymbolKind.Class, 'shop', fileUri(migration('missing_dependency', '0002_price'))],
          ['shop.0002_product_price', SymbolKind.Class, 'shop', fileUri(migration('conflict', '0002_product_price'))],
          ['shop.0002_product_price', SymbolKind.Class, 'shop', fileUri(migration('squashed', '0002_product_price'))],
          ['shop.0002_product_sku', SymbolKind.Class, 'shop', fileUri(migration('conflict', '0002_product_sku'))],
        ].sort(),
      );
      const sku = symbols.find((s) => s.name === 'shop.0002_product_sku')!;
      assert.deepEqual(sku.location.range, classNameRange(readFileSync(migration('conflict', '0002_product_sku'), 'utf8')));
      assert.deepEqual(await client.workspaceSymbols('nosuchmigration'), []);
    });
  });

  /** `migrate --plan` on an empty database of a fresh copy of a fixture: each migration with Django's describe() of its operations. */
  async function migratePlan(scenario: string): Promise<PlannedMigration[]> {
    const project = await DjangoProject.fromFixture(scenario);
    try {
      const { stdout } = await project.manage('migrate', '--plan');
      const plan: PlannedMigration[] = [];
      for (const line of stdout.split('\n').slice(1)) {
        if (line.startsWith('    ')) plan[plan.length - 1].operations.push(line.trim());
        else if (line.trim()) plan.push({ key: line.trim(), operations: [] });
      }
      return plan;
    } finally {
      await project.remove();
    }
  }
});

interface PlannedMigration {
  readonly key: string;
  readonly operations: string[];
}

function sorted(locations: readonly Location[]): Location[] {
  const key = (l: Location) =>
    `${l.uri}:${String(l.range.start.line).padStart(5, '0')}:${String(l.range.start.character).padStart(5, '0')}`;
  return [...locations].sort((a, b) => key(a).localeCompare(key(b)));
}
