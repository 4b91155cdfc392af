// Switchboard's own URL paths (beside the AWS APIs on the same port).

/** GET: 200 with the database state once the server accepts requests. */
export const HEALTH_PATH = "/_switchboard/health";
/** The one-time revert link of an old-address alert: REVERT_PATH + token. */
export const REVERT_PATH = "/_switchboard/revert/";
/** POST: back to the seed state (root only, SigV4). */
export const RESET_PATH = "/_switchboard/reset";
/** GET: export the store; PUT: import an export (root only, SigV4). */
export const SNAPSHOT_PATH = "/_switchboard/snapshot";
