// Links recorded audit events into the hash chain in the background (PostgreSQL records them in
// the writer's transaction and links them after commit; see AuditRepo.record). Every node runs
// one; they take turns on the chain's head row. Readers also link before they read, so this only
// keeps the queue short. Errors (a database outage) are logged and retried on the next tick.
import type { Logger } from "../common/log.js";
import type { Store } from "../store/store.js";

export interface AuditLinker {
  /** stops the timer and links what is still queued */
  stop(): Promise<void>;
}

export function startAuditLinker(store: Store, logger: Logger, intervalMs = 100): AuditLinker {
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      try {
        while ((await store.audit.linkPending()) > 0) {
          // drain the queue
        }
      } catch (err) {
        logger.log("warn", "audit: linking recorded events failed; will retry", {
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        running = undefined;
      }
    })();
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      tick();
      await running;
    },
  };
}
