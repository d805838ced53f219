import { ServerContext } from '../serverContext';
import { uriToPath } from './fileUri';

/**
 * The upstream branch (`origin/main`) whose shared commit has the migration at `uri`: others may
 * have applied it from there. Undefined outside git, without an upstream, or for a new file.
 */
export async function publishedOn(context: ServerContext, uri: string): Promise<string | undefined> {
  const file = uriToPath(uri);
  const project = file ? context.projectOf(file) : undefined;
  if (!file || !project?.migrationAt(file)) return undefined;
  const git = await context.workspace.databases.git(project);
  const base = await git?.upstreamBase();
  if (!git || !base) return undefined;
  return (await git.blobId(base.commit, file)) ? base.upstream : undefined;
}
