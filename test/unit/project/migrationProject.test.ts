import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { migrationKey } from '../../../server/src/core/migration';
import { MigrationProject } from '../../../server/src/project/migrationProject';
import { loadProjects } from '../../../server/src/project/projectLoader';
import { LoaderResult } from '../../../server/src/core/loader';
import { writeSyntheticProject } from '../../../bench/syntheticProject';
import { copyFixture, fixturesDirectory, temporaryFolder } from '../../support/projectFolder';

/** The one project of a fixture, read from the fixture folder itself (nothing is written). */
async function fixtureProject(scenario: string): Promise<MigrationProject> {
  const projects = await loadProjects(path.join(fixturesDirectory, scenario), { trusted: false });
  assert.equal(projects.length, 1);
  return projects[0];
}

function migrationFile(scenario: string, app: string, name: string): string {
  return path.join(fixturesDirectory, scenario, app, 'migrations', `${name}.py`);
}

/** Each problem as `code file:line:character` (zero-based, as stored), sorted. */
function problemLines(project: MigrationProject): string[] {
  return project
    .analyse()
    .problems.map((p) => `${p.code} ${path.basename(p.file)}:${p.range.start.line}:${p.range.start.character}`)
    .sort();
}

describe('MigrationProject', function () {
  it('knows its migration files', async function () {
    const project = await fixtureProject('linear');
    const file = migrationFile('linear', 'shop', '0002_product_price');
    assert.equal(project.hasMigration(file), true);
    assert.equal(project.hasMigration(path.join(fixturesDirectory, 'linear', 'shop', 'models.py')), false);
    const migration = project.migrationAt(file);
    assert.deepEqual([migration?.appLabel, migration?.name, migration?.path], ['shop', '0002_product_price', file]);
  });

  it('loads the files Django loads: odd names in, _ and ~ names out (odd_file_names)', async function () {
    const project = await fixtureProject('odd_file_names');
    assert.deepEqual(
      [...project.analyse().loaded.graph.nodes.keys()].sort(),
      ['0001_initial', '0002_bin_capacity', '0003_add-cold-storage', '0004_bin_temperature'].map((name) => migrationKey('warehouse', name)),
    );
    assert.deepEqual(project.analyse().problems, []);
  });

  it('loads migrations from MIGRATION_MODULES and none from an app set to None (migration_modules)', async function () {
    const project = await fixtureProject('migration_modules');
    assert.deepEqual([...project.analyse().loaded.graph.nodes.keys()].sort(), [
      migrationKey('crm', '0001_initial'),
      migrationKey('legacy', '0001_initial'),
      migrationKey('legacy', '0002_customer_email'),
    ]);
    assert.deepEqual(project.analyse().problems, []);
  });

  it('answers the same analysis until something changes', async function () {
    const project = await fixtureProject('linear');
    const file = migrationFile('linear', 'shop', '0003_order');
    const first = project.analyse();
    assert.equal(project.analyse(), first);
    assert.equal(project.updateSource(file, readFileSync(file, 'utf8')), true, 'its own file');
    assert.equal(project.analyse(), first, 'the same text changes nothing');
    assert.equal(project.updateSource(path.join(fixturesDirectory, 'linear', 'shop', 'models.py'), ''), false);
    assert.equal(project.analyse(), first);
  });

  it('re-parses an edited file and analyses it again', async function () {
    const project = await fixtureProject('missing_dependency');
    const file = migrationFile('missing_dependency', 'shop', '0003_order');
    assert.ok(problemLines(project).includes('missing-dependency 0003_order.py:11:8'));
    const graphBefore = project.analyse().loaded.graph;

    const fixed = readFileSync(file, 'utf8').replace("('shop', '0002_product_price')", "('shop', '0002_price')");
    assert.equal(project.updateSource(file, fixed), true);
    const after = project.analyse();
    assert.deepEqual(after.problems, []);
    assert.notEqual(after.loaded.graph, graphBefore, 'a changed dependency rebuilds the graph');
    assert.deepEqual(
      [...after.loaded.graph.nodeMap.get(migrationKey('shop', '0003_order'))!.parents].map((parent) => parent.key),
      [migrationKey('shop', '0002_price')],
    );
    assert.deepEqual(
      project.migrationAt(file)?.parsed.dependencies.map((entry) => entry.target),
      [{ kind: 'key', app: 'shop', name: '0002_price' }],
    );
  });

  it('analyses a step at a time, taking in an edit made while it gave the thread back', async function () {
    const project = await fixtureProject('missing_dependency');
    const file = migrationFile('missing_dependency', 'shop', '0003_order');
    const stepped = project.analyseInSteps();
    // The graph with the missing dependency is built; the edit comes before its checks.
    project.updateSource(file, readFileSync(file, 'utf8').replace("('shop', '0002_product_price')", "('shop', '0002_price')"));
    const analysis = await stepped;
    assert.deepEqual(analysis.problems, []);
    assert.equal(project.analyse(), analysis, 'what a request asks next is that analysis');
    assert.ok(analysis.loaded.graph.nodes.has(migrationKey('shop', '0002_price')));

    const unedited = await fixtureProject('missing_dependency');
    assert.deepEqual(
      (await unedited.analyseInSteps()).problems.map((problem) => problem.code),
      unedited.analyse().problems.map((problem) => problem.code),
    );
    assert.ok(unedited.analyse().problems.some((problem) => problem.code === 'missing-dependency'));
  });

  it("keeps the graph through an edit that leaves the graph's inputs alone, and moves that file's problems", async function () {
    const project = await fixtureProject('conflict');
    const edited = migrationFile('conflict', 'shop', '0002_product_price');
    const before = project.analyse();
    assert.deepEqual(problemLines(project), ['conflicting-leaves 0002_product_price.py:5:6', 'conflicting-leaves 0002_product_sku.py:5:6']);

    const text = readFileSync(edited, 'utf8');
    project.updateSource(edited, `# Two lines\n# above the class.\n${text.replace('max_digits=8', 'max_digits=10')}`);
    const after = project.analyse();
    assert.notEqual(after, before);
    assert.equal(after.loaded.graph, before.loaded.graph, 'the graph is reused');
    assert.deepEqual(problemLines(project), ['conflicting-leaves 0002_product_price.py:7:6', 'conflicting-leaves 0002_product_sku.py:5:6']);
    assert.deepEqual(
      after.problemsByFile.get(edited)?.map((p) => p.range.start.line),
      [7],
    );
    const other = after.problems.find((p) => p.file !== edited);
    assert.deepEqual(
      other?.related?.map((r) => [r.file, r.range.start.line]),
      [[edited, 7]],
      "the other leaf's problem points at the moved class",
    );
    const key = migrationKey('shop', '0002_product_price');
    assert.deepEqual(after.loaded.graph.nodes.get(key), project.migrationAt(edited), "the graph's node holds the new text");
    assert.deepEqual(after.loaded.diskMigrations.get(key), project.migrationAt(edited));
  });

  it('keeps every graph problem through an edit inside the operations, and moves them with the next edit that shifts lines', async function () {
    const project = await fixtureProject('conflict');
    const edited = migrationFile('conflict', 'shop', '0002_product_price');
    const before = project.analyse().problems;
    const text = readFileSync(edited, 'utf8');
    project.updateSource(edited, text.replace('max_digits=8', 'max_digits=10'));
    assert.deepEqual(project.analyse().problems, before);
    project.updateSource(edited, `# moved\n${text.replace('max_digits=8', 'max_digits=12')}`);
    assert.deepEqual(problemLines(project), ['conflicting-leaves 0002_product_price.py:6:6', 'conflicting-leaves 0002_product_sku.py:5:6']);
    project.updateSource(edited, text);
    assert.deepEqual(project.analyse().problems, before);
  });

  it('moves the range of a dependency problem when lines are added above it, keeping the graph', async function () {
    const project = await fixtureProject('missing_dependency');
    const file = migrationFile('missing_dependency', 'shop', '0003_order');
    const graph = project.analyse().loaded.graph;
    project.updateSource(file, `# one\n# two\n# three\n${readFileSync(file, 'utf8')}`);
    assert.equal(project.analyse().loaded.graph, graph);
    const missing = project.analyse().problems.filter((p) => p.code === 'missing-dependency');
    assert.deepEqual(
      missing.map((p) => [p.range.start.line, p.range.start.character]),
      [[14, 8]],
    );
  });

  it('finds a new per-file problem without rebuilding the graph', async function () {
    const project = await fixtureProject('linear');
    const file = migrationFile('linear', 'shop', '0003_order');
    const graph = project.analyse().loaded.graph;
    const text = readFileSync(file, 'utf8').replace(
      'operations = [',
      'operations = [\n        migrations.RunPython(lambda apps, schema_editor: None),',
    );
    project.updateSource(file, text);
    assert.equal(project.analyse().loaded.graph, graph);
    assert.deepEqual(
      project.analyse().problems.map((p) => [p.code, path.basename(p.file)]),
      [['irreversible-operation', '0003_order.py']],
    );
  });

  it('rebuilds the graph when an edit changes a dependency, and the conflict goes', async function () {
    const project = await fixtureProject('conflict');
    const file = migrationFile('conflict', 'shop', '0002_product_price');
    const graph = project.analyse().loaded.graph;
    project.updateSource(file, readFileSync(file, 'utf8').replace("('shop', '0001_initial')", "('shop', '0002_product_sku')"));
    const after = project.analyse();
    assert.notEqual(after.loaded.graph, graph);
    assert.deepEqual(after.problems, []);
    assert.deepEqual(after.loaded.graph.leafNodes(), [migrationKey('shop', '0002_product_price')]);
  });

  it('reads the applied state it is given: a squash counts once all it replaces are applied (squashed)', async function () {
    const project = await fixtureProject('squashed');
    const squash = migrationKey('shop', '0001_squashed_0003_product_sku');
    const replaced = ['0001_initial', '0002_product_price', '0003_product_sku'].map((name) => migrationKey('shop', name));
    assert.equal(project.analyse().loaded.graph.nodes.has(squash), true);
    assert.equal(
      replaced.some((key) => project.analyse().loaded.graph.nodes.has(key)),
      false,
    );

    project.setApplied(new Map(replaced.map((key) => [key, '2024-05-01 10:00:00'])));
    assert.equal(project.analyse().loaded.appliedMigrations.has(squash), true);

    project.setApplied(new Map([[replaced[0], '2024-05-01 10:00:00']]));
    const partly = project.analyse().loaded;
    assert.equal(partly.appliedMigrations.has(squash), false);
    assert.equal(partly.graph.nodes.has(squash), false, 'a partly applied squash is not used');
    assert.equal(
      replaced.every((key) => partly.graph.nodes.has(key)),
      true,
    );

    const raw = project.buildGraph(false);
    assert.equal(
      [squash, ...replaced].every((key) => raw.graph.nodes.has(key)),
      true,
      'replace_migrations=False keeps both',
    );
  });
  /** The graph as a rebuild gives it: nodes and dummy nodes in order, each node's parents and children, errors, resolutions. */
  function graphFacts(loaded: LoaderResult): unknown {
    const keys = (nodes: Iterable<{ key: string }>) => [...nodes].map((node) => node.key).sort();
    return {
      nodeMap: [...loaded.graph.nodeMap.values()].map((node) => [node.key, node.constructor.name, keys(node.parents), keys(node.children)]),
      nodes: [...loaded.graph.nodes.keys()],
      errors: loaded.errors,
      dependencies: [...loaded.dependencies],
      diskMigrations: [...loaded.diskMigrations.keys()],
    };
  }

  /** Each text written to its file, then the project read afresh from them: the same graph and problems. */
  async function assertAsAfresh(project: MigrationProject, root: string, texts: ReadonlyMap<string, string>, step: string): Promise<void> {
    for (const [file, text] of texts) writeFileSync(file, text);
    const [afresh] = await loadProjects(root, { trusted: false });
    const byFile = (problems: ReadonlyMap<string, unknown>) => [...problems].sort(([a], [b]) => (a < b ? -1 : 1));
    const analysis = project.analyse();
    assert.deepEqual(graphFacts(analysis.loaded), graphFacts(afresh.analyse().loaded), step);
    assert.deepEqual(analysis.problems, afresh.analyse().problems, step);
    assert.deepEqual(byFile(analysis.problemsByFile), byFile(afresh.analyse().problemsByFile), step);
  }

  /**
   * Edits that change the graph, each followed by an analysis and compared with a project read
   * afresh: a dependency renamed to a missing node and back, one added (a missing node named by
   * two migrations, the later one first), one removed (a new leaf: conflicting leaves), a cycle
   * made and undone, a `replaces` added and removed, a migration with no dependencies at all.
   */
  async function graphEdits(root: string, files: readonly string[]): Promise<void> {
    const [project] = await loadProjects(root, { trusted: false });
    project.analyse();
    const texts = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
    const original = new Map(texts);
    const edit = async (file: string, text: string, step: string) => {
      texts.set(file, text);
      project.updateSource(file, text);
      project.analyse();
      await assertAsAfresh(project, root, texts, `${step} (${path.basename(file)})`);
    };
    const dependencyOf = (text: string) => /\('(\w+)', '(\w+)'\)/.exec(text.slice(text.indexOf('dependencies')));
    const appOf = (file: string) => path.basename(path.dirname(path.dirname(file)));
    const ordered = [...files].sort();
    // A missing node the last migration names throughout: each migration that names it too comes
    // before or after it in the loader's order, and the first reference decides its origin.
    const last = ordered[ordered.length - 1];
    const shared = `('${appOf(last)}', 'shared_gone')`;
    const lastText = original.get(last)!.replace(/dependencies = \[/, `dependencies = [${shared}, `);
    await edit(last, lastText, 'a missing node named by the last migration');
    original.set(last, lastText);
    for (const [position, file] of ordered.entries()) {
      const text = original.get(file)!;
      const dependency = dependencyOf(text);
      const later = ordered[Math.min(position + 2, ordered.length - 1)];
      const laterKey = `('${appOf(later)}', '${path.basename(later, '.py')}')`;
      if (dependency) {
        await edit(
          file,
          text.replace(dependency[0], `('${dependency[1]}', '${dependency[2]}_gone')`),
          'a dependency renamed to a missing node',
        );
        await edit(file, text.replace(dependency[0], `${dependency[0]}, ${shared}`), 'a missing node added');
        await edit(file, text.replace(dependency[0], ''), 'a dependency removed');
        await edit(file, text.replace(dependency[0], `${dependency[0]}, ${laterKey}`), 'a later migration depended on');
      } else {
        await edit(file, text.replace('dependencies = [', `dependencies = [${shared}, `), 'a first dependency');
      }
      await edit(
        file,
        text.replace('class Migration(migrations.Migration):\n', `class Migration(migrations.Migration):\n    replaces = [${laterKey}]\n`),
        'replaces added',
      );
      await edit(file, text, 'back as it was');
    }
  }

  for (const scenario of ['conflict', 'cycle', 'missing_dependency', 'squashed', 'run_before', 'first_latest']) {
    it(`after edits that change the graph, the same graph and problems as a project read afresh (${scenario})`, async function () {
      this.timeout(60_000);
      const root = copyFixture(scenario);
      const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((file) => /migrations[\\/]\d{4}_\w+\.py$/.test(file))
        .map((file) => path.join(root, file));
      await graphEdits(root, files);
    });
  }

  it('after edits that change the graph, the same graph and problems as a project read afresh (generated project)', async function () {
    this.timeout(120_000);
    const root = temporaryFolder('graph-edits');
    writeSyntheticProject(root, { apps: 3, migrationsPerApp: 12, crossAppEvery: 4, squashEvery: 2 });
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => /migrations[\\/]00(0[3-9]|1[12])_\w+\.py$/.test(file))
      .map((file) => path.join(root, file));
    assert.equal(files.length, 27);
    await graphEdits(root, files);
  });

  it('moves the edges of a migration whose dependency changed, keeping the rest of the graph', async function () {
    const root = temporaryFolder('graph-edit');
    writeSyntheticProject(root, { apps: 2, migrationsPerApp: 12, crossAppEvery: 4, squashEvery: 5 });
    const [project] = await loadProjects(root, { trusted: false });
    const nodeMap = project.analyse().loaded.graph.nodeMap;
    const file = path.join(root, 'app01', 'migrations', '0012_auto_12.py');
    project.updateSource(file, readFileSync(file, 'utf8').replace("('app01', '0011_auto_11')", "('app01', '0010_auto_10')"));
    const after = project.analyse();
    assert.equal(after.loaded.graph.nodeMap, nodeMap, 'the same nodes, not a rebuilt graph');
    assert.deepEqual(
      after.problems.filter((p) => p.code === 'conflicting-leaves').map((p) => [p.code, path.basename(p.file)]),
      [
        ['conflicting-leaves', '0011_auto_11.py'],
        ['conflicting-leaves', '0012_auto_12.py'],
      ],
    );
  });

  for (const scenario of ['conflict', 'missing_dependency', 'run_python_run_sql', 'squashed']) {
    it(`after edits, the same problems as a project read afresh from the edited files (${scenario})`, async function () {
      const root = copyFixture(scenario);
      const [project] = await loadProjects(root, { trusted: false });
      const graph = project.analyse().loaded.graph;
      const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((file) => /migrations[\\/]\d{4}_\w+\.py$/.test(file))
        .map((file) => path.join(root, file))
        .sort();
      const texts = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));
      // Each file in turn gains a problem of its own, loses it, and keeps an edit inside its operations.
      for (const file of files) {
        const text = texts.get(file)!;
        const irreversible = text.replace(
          'operations = [',
          'operations = [\n        migrations.RunPython(lambda apps, schema_editor: None),',
        );
        project.updateSource(file, irreversible);
        assert.ok(
          project
            .analyse()
            .problemsByFile.get(file)
            ?.some((p) => p.code === 'irreversible-operation'),
          file,
        );
        const edited = text.replace('operations = [', 'operations = [\n        migrations.RunSQL("SELECT 1", "SELECT 1"),');
        project.updateSource(file, edited);
        project.analyse();
        texts.set(file, edited);
      }
      assert.equal(project.analyse().loaded.graph, graph, 'no edit changed the graph');
      for (const [file, text] of texts) writeFileSync(file, text);
      const [afresh] = await loadProjects(root, { trusted: false });
      const byFile = (problems: ReadonlyMap<string, unknown>) => [...problems].sort(([a], [b]) => (a < b ? -1 : 1));
      assert.deepEqual(project.analyse().problems, afresh.analyse().problems);
      assert.deepEqual(byFile(project.analyse().problemsByFile), byFile(afresh.analyse().problemsByFile));
    });
  }
});
