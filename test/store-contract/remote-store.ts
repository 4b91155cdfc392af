// A Store in another process on the same database, for the contract's "two nodes on one
// database" cases: a child process (node --import tsx) opens its own SqlStore — its own SQLite
// connection or its own PostgreSQL pool — and runs the repository calls it is sent over IPC,
// concurrently, as they arrive. Run as a script it is the child; imported it is the parent's side.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";

/** Where the other process finds the database. */
export type RemoteSpec = { engine: "sqlite"; file: string } | { engine: "postgres"; url: string; schema: string };

type RepoName = "instances" | "users" | "audit" | "iam" | "outbox";
/** The repositories of a store in another process (values cross as structured clones). */
export type RemoteStore = Pick<Store, RepoName> & { close(): Promise<void> };

interface Call {
  id: number;
  repo: RepoName;
  method: string;
  args: unknown[];
}
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };
type ChildMessage = { ready: true } | { openFailed: string } | Reply;

/** Starts the other process and waits until its store is open (migrated). */
export async function spawnStore(spec: RemoteSpec): Promise<RemoteStore> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(spec)], {
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => {
    for (const p of pending.values()) p.reject(new Error("the store process exited"));
    pending.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the store process exited (${code}) before it was ready`)));
    child.on("message", (m: ChildMessage) => {
      if ("ready" in m) resolve();
      else if ("openFailed" in m) reject(new Error(`the store process could not open the store: ${m.openFailed}`));
      else {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(Object.assign(new Error(m.message), { name: m.name }));
      }
    });
  });
  const call = (repo: RepoName, method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, repo, method, args } satisfies Call);
    });
  const repo = <R extends RepoName>(name: R): Store[R] =>
    new Proxy({} as Store[R], {
      get: (_target, method) => (typeof method === "string" ? (...args: unknown[]) => call(name, method, args) : undefined),
    });
  return {
    instances: repo("instances"),
    users: repo("users"),
    audit: repo("audit"),
    iam: repo("iam"),
    outbox: repo("outbox"),
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.disconnect(); // the child closes its store and exits
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

// ---- the child ---------------------------------------------------------------------------------

async function serve(child: NodeJS.Process & { send: NonNullable<NodeJS.Process["send"]> }, spec: RemoteSpec): Promise<void> {
  let store: SqlStore;
  try {
    store = await SqlStore.open(
      spec.engine === "sqlite"
        ? new SqliteDriver({ file: spec.file, durability: "normal" })
        : new PostgresDriver({ url: spec.url, schema: spec.schema }),
    );
  } catch (err) {
    child.send({ openFailed: err instanceof Error ? err.message : String(err) } satisfies ChildMessage);
    child.disconnect();
    return;
  }
  child.on("message", (m: Call) => {
    void (async () => {
      let reply: Reply;
      try {
        const repo = store[m.repo] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
        const fn = repo[m.method];
        if (typeof fn !== "function") throw new Error(`no method ${m.repo}.${m.method}`);
        reply = { id: m.id, ok: true, value: await fn.apply(repo, m.args) };
      } catch (err) {
        reply = {
          id: m.id,
          ok: false,
          name: err instanceof Error ? err.name : "Error",
          message: err instanceof Error ? err.message : String(err),
        };
      }
      if (child.connected) child.send(reply);
    })();
  });
  child.once("disconnect", () => {
    void store.close().finally(() => process.exit(0));
  });
  child.send({ ready: true } satisfies ChildMessage);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send;
  if (!send) throw new Error("remote-store.ts runs as a forked child (it needs an IPC channel)");
  await serve(process as NodeJS.Process & { send: typeof send }, JSON.parse(process.argv[2] ?? "{}") as RemoteSpec);
}
