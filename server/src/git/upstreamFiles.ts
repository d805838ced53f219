import { GitRepository } from './gitRepository';

/**
 * Which of `files` the upstream branch has, or undefined when git cannot say (no repository,
 * no upstream branch). A rebase takes the leaf that is already upstream as the one to follow.
 */
export async function filesOnUpstream(directory: string, files: readonly string[]): Promise<Set<string> | undefined> {
  const repository = await GitRepository.find(directory);
  const upstream = await repository?.upstreamBase();
  if (!repository || !upstream) return undefined;
  const present = new Set<string>();
  for (const file of files) if ((await repository.blobId(upstream.upstream, file)) !== undefined) present.add(file);
  return present;
}
