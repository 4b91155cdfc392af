// Switchboard's own URL paths (beside the AWS APIs on the same port).

/** GET: 200 with the database state once the server accepts requests. */
export const HEALTH_PATH = "/_switchboard/health";
/** The one-time revert link of an old-address alert: REVERT_PATH + token. */
export const REVERT_PATH = "/_switchboard/revert/";
/** GET / PUT / DELETE: the fault rules in force (SigV4-signed; the root or switchboard:ManageFaults). */
export const FAULTS_PATH = "/_switchboard/faults";
