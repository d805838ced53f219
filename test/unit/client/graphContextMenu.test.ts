import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repositoryRoot } from '../../support/repositoryPaths';

interface MenuEntry {
  readonly command: string;
  readonly when: string;
  readonly group?: string;
}

/** A migration item's menu as the tree and the graph declare it: states it is offered in, trust, group. */
interface Offer {
  readonly states: readonly string[];
  readonly trusted: boolean;
  readonly group?: string;
}

const menus = (
  JSON.parse(readFileSync(path.join(repositoryRoot, 'package.json'), 'utf8')) as {
    contributes: { menus: Record<string, MenuEntry[]> };
  }
).contributes.menus;

/** The states a `when` clause allows, from `KEY =~ /^(a|b)$/` or `KEY == a` with KEY's prefix. */
function states(when: string, key: string, prefix: string): string[] {
  const escaped = prefix.replace(/\./g, '\\\\.');
  const alternatives = new RegExp(`${key} =~ /\\^${escaped}\\(([a-z|]+)\\)\\$/`).exec(when);
  if (alternatives) return alternatives[1].split('|').sort();
  const single = new RegExp(`${key} == ${prefix.replace(/\./g, '\\.')}([a-z]+)`).exec(when);
  return single ? [single[1]] : [];
}

function offers(entries: readonly MenuEntry[], key: string, prefix: string): Map<string, Offer> {
  return new Map(
    entries.map((entry) => [
      entry.command,
      { states: states(entry.when, key, prefix), trusted: entry.when.includes('isWorkspaceTrusted'), group: entry.group },
    ]),
  );
}

describe("the graph view's context menu", () => {
  const tree = offers(
    menus['view/item/context'].filter(
      (entry) => entry.when.includes('djangoMigrations\\.migration\\.') || entry.when.includes('djangoMigrations.migration.'),
    ),
    'viewItem',
    'djangoMigrations.migration.',
  );
  const graph = offers(
    menus['webview/context'].filter((entry) => entry.when.includes("webviewId == 'djangoMigrations.graph'")),
    'migrationState',
    '',
  );

  it("carries each command of the tree's migration items, Record Only (--fake) among them", () => {
    assert.ok(tree.has('djangoMigrations.fakeMigrateToMigration'));
    assert.deepEqual([...graph.keys()].sort(), [...tree.keys()].sort());
  });

  it('offers each on the same migration states, in the same group, with the same trust requirement', () => {
    for (const [command, offer] of tree) {
      const mirrored = graph.get(command);
      assert.ok(mirrored, command);
      assert.ok(offer.states.length > 0, `${command}: states read from the tree's when clause`);
      // A node of another app (outside) opens its file too; nothing else acts on it.
      const expected = command === 'djangoMigrations.openMigration' ? [...offer.states, 'outside'].sort() : offer.states;
      assert.deepEqual(mirrored.states, expected, command);
      assert.equal(mirrored.trusted, offer.trusted, command);
      assert.equal(mirrored.group, offer.group, command);
    }
  });
});
