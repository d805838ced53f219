import { ClientFeature } from './clientContext';
import { commandsFeature } from './commands/commandsFeature';
import { migrationGraphFeature } from './graph/migrationGraphFeature';
import { unsavedQuickFixesFeature } from './quickFixes/unsavedQuickFixes';
import { sqlFeature } from './sql/sqlFeature';
import { unappliedStatusBarFeature } from './statusBar/unappliedStatusBar';
import { databasePasswordFeature } from './tree/databasePasswords';
import { migrationTreeFeature } from './tree/migrationTreeView';
import { showDependentsFeature } from './tree/showDependents';

/** Every client feature, registered once at activation. */
export const CLIENT_FEATURES: ClientFeature[] = [
  sqlFeature,
  commandsFeature,
  migrationTreeFeature,
  unappliedStatusBarFeature,
  showDependentsFeature,
  databasePasswordFeature,
  unsavedQuickFixesFeature,
  migrationGraphFeature,
];
