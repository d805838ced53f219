import { LintConfiguration } from '../core/lints/lintConfiguration';
import { ServerVersion } from '../core/lints/lintRule';
import { MigrationProject } from './migrationProject';

/**
 * The Django release the lint rules assume: `django-version` of [tool.django-migrations], else
 * the project's own when something said it (the interpreter, the setting). A default guess is
 * not used: the rules then assume the oldest release, whose oldest servers they warn about.
 */
export function lintDjangoVersion(project: MigrationProject, configuration: LintConfiguration): ServerVersion | undefined {
  if (configuration.djangoVersion) return configuration.djangoVersion;
  return project.djangoVersionAssumed ? undefined : [project.djangoVersion.major, project.djangoVersion.minor];
}
