import { MigrationNodeState } from '../../../protocol/index';

/**
 * The description beside a migration's name: a few words, so that the name is never cut at the
 * side bar's default width. Times, names and numbers are in the tooltip.
 */
export function describeMigration(node: MigrationNodeState): string {
  const applied = node.applied ? 'applied' : 'not applied';
  switch (node.state) {
    case 'applied':
    case 'unapplied':
      return applied;
    case 'squashed': {
      const squash = node.squash!;
      if (node.finishRecording) return `squash of ${squash.replaces} · [-] not recorded`;
      if (node.applied) return `squash of ${squash.replaces} · ${node.recorded ? 'applied' : 'applied, not recorded'}`;
      return `squash of ${squash.replaces} · ${squash.inGraph ? 'not applied' : 'not used'}`;
    }
    case 'replaced':
      return `replaced · ${applied}${node.file ? '' : ' · file deleted'}`;
    case 'conflicting':
      return `conflicting leaf · ${applied}`;
    case 'missingFile':
      return 'applied · file missing';
    case 'inconsistent':
      return 'applied before a dependency';
  }
}
