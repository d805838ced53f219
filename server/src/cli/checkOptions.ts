/** The options of `check` besides the common ones: read by the command and by the answer cache's entry. */
export const CHECK_OPTIONS = {
  format: { type: 'string', default: 'text' },
  'changed-since': { type: 'string' },
  'server-version': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
