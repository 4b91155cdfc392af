// The seed file (`--seed FILE`, the embedding API's `seed:`): JSON or YAML, checked against the
// JSON Schema published as schema/seed.schema.json (editors autocomplete it through `$schema`),
// then against itself (names referenced, duplicates) by check.ts. Every problem is reported, as
// `FILE: path.to.member: reason`, before anything is written.
import { readFile } from "node:fs/promises";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { LineCounter, parseDocument } from "yaml";
import { packageFileText } from "../common/package-file.js";
import type { Tags } from "../store/records.js";

export interface SeedGroup {
  name: string;
  id?: string;
  tags?: Tags;
  groups?: SeedGroup[];
}

export interface SeedUser {
  username: string;
  id?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  secondaryEmail?: string;
  mobile?: string;
  securityProfiles?: string[];
  routingProfile?: string;
  hierarchyGroup?: string;
  phoneType?: "SOFT_PHONE" | "DESK_PHONE";
  autoAccept?: boolean;
  afterContactWorkTimeLimit?: number;
  deskPhoneNumber?: string;
  tags?: Tags;
}

export interface SeedInstance {
  alias: string;
  id?: string;
  region?: string;
  identityManagementType?: "CONNECT_MANAGED" | "SAML";
  inboundCallsEnabled?: boolean;
  outboundCallsEnabled?: boolean;
  tags?: Tags;
  securityProfiles?: { name: string; id?: string; description?: string; permissions?: string[]; tags?: Tags }[];
  queues?: { name: string; id?: string; description?: string; maxContacts?: number; status?: "ENABLED" | "DISABLED"; tags?: Tags }[];
  routingProfiles?: {
    name: string;
    id?: string;
    description?: string;
    defaultOutboundQueue?: string;
    queues?: string[];
    mediaConcurrencies?: { channel: "VOICE" | "CHAT" | "TASK" | "EMAIL"; concurrency: number }[];
    tags?: Tags;
  }[];
  hierarchy?: { levels?: string[]; groups?: SeedGroup[] };
  users?: SeedUser[];
}

export interface SeedPrincipal {
  name: string;
  account?: string;
  tags?: Tags;
  accessKeys?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }[];
  policies?: Record<string, unknown>;
}

/** The document schema/seed.schema.json describes. */
export interface SeedDocument {
  $schema?: string;
  account?: string;
  region?: string;
  instances?: SeedInstance[];
  iam?: { principals?: SeedPrincipal[] };
}

/** Every problem of a seed, one `FILE: path: reason` per line. */
export class SeedError extends Error {
  constructor(readonly problems: readonly string[]) {
    const n = problems.length;
    super(`invalid seed (${n} problem${n === 1 ? "" : "s"}):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "SeedError";
  }
}

/** `/instances/0/users/1/username` → `instances[0].users[1].username` */
export function memberPath(pointer: string, member?: string): string {
  const parts =
    pointer === ""
      ? []
      : pointer
          .slice(1)
          .split("/")
          .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (member !== undefined) parts.push(member);
  let out = "";
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === "" ? p : `.${p}`;
  return out === "" ? "(document)" : out;
}

let validate: ReturnType<Ajv2020["compile"]> | undefined;

function schemaValidator(): ReturnType<Ajv2020["compile"]> {
  validate ??= new Ajv2020({ allErrors: true, allowUnionTypes: true, strict: true, verbose: true }).compile(
    JSON.parse(packageFileText("schema/seed.schema.json")) as object,
  );
  return validate;
}

/** One schema error in words. */
function reason(e: ErrorObject): { path: string; text: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: memberPath(e.instancePath, String(p.missingProperty)), text: "is required" };
    case "additionalProperties": {
      const known = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object).filter(
        (k) => k !== "$schema",
      );
      return { path: memberPath(e.instancePath, String(p.additionalProperty)), text: `is not a known member (known: ${known.join(", ")})` };
    }
    case "enum":
      return { path: memberPath(e.instancePath), text: `must be one of ${(p.allowedValues as unknown[]).join(", ")}` };
    case "type":
      return { path: memberPath(e.instancePath), text: `must be ${String(p.type).replace(",", " or ")}` };
    case "propertyNames":
      return { path: memberPath(e.instancePath, String(p.propertyName)), text: "is not a valid name" };
    default:
      return { path: memberPath(e.instancePath), text: e.message ?? e.keyword };
  }
}

/** Problems the schema finds, `FILE: path: reason`, in document order; none when it conforms. */
export function schemaProblems(file: string, value: unknown): string[] {
  const check = schemaValidator();
  if (check(value)) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of check.errors ?? []) {
    // propertyNames reports its inner error too; the name is enough.
    if (e.propertyName !== undefined) continue;
    const r = reason(e);
    const line = `${file}: ${r.path}: ${r.text}`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}

/** Parses JSON (.json) or YAML (anything else; YAML is a superset of JSON). */
export function parseSeedText(file: string, text: string): unknown {
  if (file.endsWith(".json")) {
    try {
      return JSON.parse(text);
    } catch (err) {
      const m = /position (\d+)/.exec(String(err));
      const at = m ? Number(m[1]) : /end of JSON input/.test(String(err)) ? text.length : -1;
      const before = at >= 0 ? text.slice(0, at) : "";
      const where = at >= 0 ? `line ${before.split("\n").length}, column ${at - before.lastIndexOf("\n")}` : "(document)";
      throw new SeedError([`${file}: ${where}: not valid JSON`]);
    }
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SeedError(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return `${file}: line ${pos.line}, column ${pos.col}: not valid YAML (${e.code})`;
      }),
    );
  }
  return doc.toJS();
}

/** A seed as given: a file to read, or a document (named `seed` in messages). */
export type SeedSource = string | SeedDocument;

export interface LoadedSeed {
  file: string;
  doc: SeedDocument;
}

export async function loadSeed(source: SeedSource): Promise<LoadedSeed> {
  if (typeof source !== "string") {
    const problems = schemaProblems("seed", source);
    if (problems.length > 0) throw new SeedError(problems);
    return { file: "seed", doc: source };
  }
  let text: string;
  try {
    text = await readFile(source, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new SeedError([`${source}: (file): ${code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(err)})`}`]);
  }
  const value = parseSeedText(source, text);
  const problems = schemaProblems(source, value);
  if (problems.length > 0) throw new SeedError(problems);
  return { file: source, doc: value as SeedDocument };
}
