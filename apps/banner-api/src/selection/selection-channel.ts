/** PostgreSQL channel an import, deletion or rollback notifies (payload: a quarter or `all`) at commit. */
export const SELECTIONS_CHANNEL = 'banner_selections';
