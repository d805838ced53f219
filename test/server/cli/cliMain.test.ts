import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixturesDirectory } from '../../support/projectFolder';
import { runCli } from './cliProcess';

describe('cli commands', function () {
  it('prints its usage for --help and exits 0, on stdout', async function () {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: django-migrations <command>/);
    assert.match(result.stdout, /\n {2}check \[DIR\]/);
    assert.match(result.stdout, /\n {2}graph \[DIR\]/);
  });

  it('prints its usage without a command and exits 0', async function () {
    const result = await runCli([]);
    assert.equal(result.code, 0);
    assert.match(result.stdout + result.stderr, /Usage: django-migrations <command>/);
  });

  it('exits 2 on an unknown command, with the usage on stderr and nothing on stdout', async function () {
    const result = await runCli(['frobnicate', path.join(fixturesDirectory, 'linear')]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Usage: django-migrations <command>/);
  });

  it('answers --help after a command with that usage, exit 0', async function () {
    const [check, graph] = await Promise.all([runCli(['check', '--help']), runCli(['graph', '--help'])]);
    assert.deepEqual([check.code, graph.code], [0, 0], `${check.stderr}${graph.stderr}`);
    assert.match(check.stdout, /check/);
    assert.match(check.stdout, /--format/);
    assert.match(graph.stdout, /--json/);
  });
});
