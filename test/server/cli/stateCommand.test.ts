import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { StateJson } from '../../../server/src/core/stateJson';
import { fixturesDirectory } from '../../support/projectFolder';
import { runCli } from './cliProcess';

const dir = path.join(fixturesDirectory, 'state_operations');

describe('cli state', function () {
  it('prints the models of APP after MIGRATION, a prefix taken as manage.py takes it (state_operations)', async function () {
    const result = await runCli(['state', 'library', '0002', '--json', '--dir', dir]);
    assert.equal(result.code, 0, result.stderr);
    const state = JSON.parse(result.stdout) as StateJson;
    assert.deepEqual(Object.keys(state.models), ['library.author', 'library.book', 'library.authorproxy']);
    const book = state.models['library.book'];
    assert.deepEqual(Object.keys(book), ['app_label', 'name', 'fields', 'options', 'bases', 'managers']);
    assert.deepEqual(
      book.fields.map(([name]) => name),
      ['id', 'author', 'isbn', 'name', 'pages'],
    );
    assert.deepEqual(book.options.unique_together, [['name', 'author']]);
    assert.equal(book.options.order_with_respect_to, 'author');
    assert.deepEqual(state.models['library.author'].options, {
      db_table: 'authors',
      verbose_name: 'author',
      indexes: [],
      constraints: [],
    });
  });

  it("prints the state after every app's leaf without MIGRATION, as text without --json", async function () {
    const result = await runCli(['state', 'reviews', '--django-version', '3.2', '--dir', dir]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.deepEqual(
      lines.filter((line) => !line.startsWith(' ')),
      ['reviews.Tag', 'reviews.Review', 'reviews.ReviewTag', ''],
    );
    assert.ok(lines.includes("  tags: django.db.models.ManyToManyField(through='reviews.ReviewTag', to='reviews.Tag')"), result.stdout);
  });

  // deconstruct() of each release: ManyToManyField's `to` lowercased from 4.0, CheckConstraint's
  // `condition` from 5.1 (migrations written before still say `check`).
  const releases: [string, string, string][] = [
    ['3.2', 'reviews.Tag', 'check'],
    ['4.2', 'reviews.tag', 'check'],
    ['5.2', 'reviews.tag', 'condition'],
  ];
  for (const [version, manyToManyTarget, checkKeyword] of releases) {
    it(`writes fields and constraints as Django ${version}'s deconstruct() does (--django-version ${version})`, async function () {
      const reviews = await runCli(['state', 'reviews', '--json', '--django-version', version, '--dir', dir]);
      assert.equal(reviews.code, 0, reviews.stderr);
      const review = (JSON.parse(reviews.stdout) as StateJson).models['reviews.review'];
      const tags = review.fields.find(([name]) => name === 'tags')![1] as { kwargs: Record<string, unknown> };
      assert.equal(tags.kwargs.to, manyToManyTarget);
      const library = await runCli(['state', 'library', '0002', '--json', '--django-version', version, '--dir', dir]);
      assert.equal(library.code, 0, library.stderr);
      const constraints = (JSON.parse(library.stdout) as StateJson).models['library.book'].options.constraints as {
        call: string;
        kwargs: Record<string, unknown>;
      }[];
      const check = constraints.find((constraint) => constraint.call === 'django.db.models.CheckConstraint')!;
      assert.deepEqual(Object.keys(check.kwargs).sort(), [checkKeyword, 'name'].sort());
      const text = await runCli(['state', 'reviews', '--django-version', version, '--dir', dir]);
      assert.ok(text.stdout.includes(`to='${manyToManyTarget}'`), text.stdout);
    });
  }

  it('exits 1 for an app without migrations or a migration it cannot pick, 2 on a usage error', async function () {
    const noApp = await runCli(['state', 'nope', '--dir', dir]);
    assert.deepEqual([noApp.code, noApp.stderr], [1, "state: App 'nope' does not have migrations.\n"]);
    const ambiguous = await runCli(['state', 'library', '000', '--dir', dir]);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /More than one migration matches '000' in app 'library'/);
    const missing = await runCli(['state', 'library', '0009', '--dir', dir]);
    assert.match(missing.stderr, /Cannot find a migration matching '0009' from app 'library'/);
    assert.equal((await runCli(['state', '--dir', dir])).code, 2);
  });
});
