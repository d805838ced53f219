import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Workspace } from '../../server/src/workspace/workspace';
import { countOtherConnections, createTestDatabase, dropTestDatabase, runSql, testPostgresUrl } from '../db/postgresCluster';
import { DjangoProject, djangoPython } from './djangoProject';

/** Whether a process with this pid still runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (boundedly) until `done` holds; returns whether it did. */
async function eventually(done: () => boolean | Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await done()) return true;
    await sleep(100);
  }
  return done();
}

describe('Workspace.dispose', function () {
  this.timeout(120_000);
  let project: DjangoProject | undefined;
  let databaseUrl: string | undefined;
  let workspace: Workspace | undefined;
  after(async () => {
    await workspace?.dispose();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    await project?.remove();
  });

  it("stops the project's Django helper and every database monitor and its connection", async () => {
    project = await DjangoProject.fromFixture('linear');
    databaseUrl = await createTestDatabase(await testPostgresUrl(), 'dispose');
    await runSql(databaseUrl, 'CREATE TABLE django_migrations (id serial PRIMARY KEY, app text, name text, applied timestamptz)');
    workspace = new Workspace({
      options: { trusted: true, pythonPath: djangoPython, databases: { replica: databaseUrl }, databaseRefreshInterval: 1 },
      whenLoaded: () => Promise.resolve(),
      log: () => undefined,
      info: () => undefined,
    });
    const projects = await workspace.index([project.dir], { trusted: true, pythonPath: djangoPython });
    await workspace.databases.update();
    const replica = () => workspace!.databases.views(projects[0]).find((view) => view.alias === 'replica');
    assert.ok(await eventually(() => replica()?.snapshot.status === 'ok'), JSON.stringify(replica()?.snapshot));
    assert.ok((await countOtherConnections(databaseUrl)) >= 1, "the replica's monitor keeps its connection between reads");
    const answer = await workspace.django.run({ projectRoot: project.dir }, async (helper) => {
      await helper.databases();
      return { pid: helper.pid };
    });
    assert.ok(answer.ok && answer.pid !== undefined, JSON.stringify(answer));
    const pid = answer.pid;
    assert.equal(running(pid), true);

    await workspace.dispose();
    workspace = undefined;
    assert.ok(await eventually(() => !running(pid)), `the helper (pid ${pid}) still runs`);
    assert.ok(await eventually(async () => (await countOtherConnections(databaseUrl!)) === 0), 'a connection to the replica is still open');
    // Polls every second while it runs: a monitor that outlived dispose would connect again.
    await sleep(2500);
    assert.equal(await countOtherConnections(databaseUrl), 0);
    assert.deepEqual(
      projects.map((indexed) => workspace?.databases.views(indexed) ?? []),
      [[]],
    );
  });
});
