/**
 * The Django release a project runs, as `django.VERSION[:2]`. What Django prints and plans differs
 * between releases (operations that exist, showmigrations markers, migrate targets): everything
 * version-dependent asks this.
 */
export interface DjangoVersion {
  readonly major: number;
  readonly minor: number;
}

/** The newest long-term support release: assumed when nothing says which Django a project runs. */
export const NEWEST_LTS: DjangoVersion = { major: 5, minor: 2 };

/** `3.2`, `4.2.28`, `5.2.18`, `5.2a1`: undefined when the text is not a Django version. */
export function parseDjangoVersion(text: string | undefined): DjangoVersion | undefined {
  const match = /^\s*(\d+)\.(\d+)/.exec(text ?? '');
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** True when `version` is `major.minor` or later. */
export function djangoAtLeast(version: DjangoVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

export function djangoVersionText(version: DjangoVersion): string {
  return `${version.major}.${version.minor}`;
}
