// Switchboard's own URL paths (beside the AWS APIs on the same port).

/** GET: 200 with the database state once the server accepts requests. */
export const HEALTH_PATH = "/_switchboard/health";
/** The one-time revert link of an old-address alert: REVERT_PATH + token. */
export const REVERT_PATH = "/_switchboard/revert/";
/** POST: back to the seed state (root only, SigV4). */
export const RESET_PATH = "/_switchboard/reset";
/** GET: export the store; PUT: import an export (root only, SigV4). */
export const SNAPSHOT_PATH = "/_switchboard/snapshot";
/** GET / PUT / DELETE: the fault rules in force (SigV4-signed; the root or switchboard:ManageFaults). */
export const FAULTS_PATH = "/_switchboard/faults";
/** Switchboard's own SigV4-signed API (awsJson1.1, `X-Amz-Target: Switchboard.<Operation>`, signing name `switchboard`). */
export const SWITCHBOARD_API_PATH = "/_switchboard/api";
/** The web console's static files (GET/HEAD). */
export const CONSOLE_PATH = "/_switchboard/console/";
