import * as assert from 'node:assert/strict';
import { AliasRows } from '../../../server/src/core/lifecycle/refactoringPlan';
import { RenamedRows, undoneRenameState } from '../../../server/src/core/lifecycle/undoneRename';

const renamed: RenamedRows = { app: 'shop', from: '0002_price', to: '0002_cost', aliases: ['default', 'replica'] };
const files = (...names: string[]) => new Set(names.map((name) => `shop.${name}`));
const rows = (alias: string, ...names: string[]): AliasRows => ({ alias, status: 'ok', recorded: files(...names) });
const back = (alias: string) => ({ alias, renames: [{ app: 'shop', from: '0002_cost', to: '0002_price' }] });

describe('core: an undone rename', () => {
  it('renames back the rows of every alias it wrote once the file carries the old name alone again', () => {
    assert.deepEqual(
      undoneRenameState(files('0001_initial', '0002_price'), renamed, [rows('default', '0002_cost'), rows('replica', '0002_cost')]),
      {
        status: 'undone',
        rows: [back('default'), back('replica')],
      },
    );
  });

  it('offers nothing while the files carry the new name, or both names', () => {
    const databases = [rows('default', '0002_cost'), rows('replica', '0002_cost')];
    assert.deepEqual(undoneRenameState(files('0002_cost'), renamed, databases), { status: 'pending' });
    assert.deepEqual(undoneRenameState(files('0002_price', '0002_cost'), renamed, databases), { status: 'pending' });
  });

  it('leaves out an alias that records the old name again, one it did not write, and one it cannot read', () => {
    const databases: AliasRows[] = [
      rows('default', '0002_price', '0002_cost'),
      { alias: 'replica', status: 'unreadable', reason: 'restricted' },
      rows('other', '0002_cost'),
    ];
    assert.deepEqual(undoneRenameState(files('0002_price'), renamed, databases), { status: 'pending' });
    assert.deepEqual(undoneRenameState(files('0002_price'), renamed, [databases[1], rows('default', '0002_cost')]), {
      status: 'undone',
      rows: [back('default')],
    });
  });

  it('is settled once no alias it wrote records the new name', () => {
    assert.deepEqual(undoneRenameState(files('0002_price'), renamed, [rows('default', '0002_price'), rows('replica')]), {
      status: 'settled',
    });
    // An alias that cannot be read might still hold it.
    assert.deepEqual(
      undoneRenameState(files('0002_price'), renamed, [rows('default'), { alias: 'replica', status: 'unreadable', reason: 'down' }]),
      { status: 'pending' },
    );
  });
});
