// Amazon Connect's bulk-user CSV template ("Add users in bulk", https://docs.aws.amazon.com/connect/latest/adminguide/user-management.html#add-users-in-bulk):
// the header exactly as Connect's template has it; on a SAML instance the template has no
// `email address` and `password` columns. After Connect's columns, optional ones in any order:
// `user hierarchy` (group path, levels separated by `/`, as in AWS's bulk-import sample) and
// Switchboard's own `secondary email`, `mobile` and `tags` (`key=value` pairs separated by `|`).
// A row becomes a UserSpec, or a list of what is wrong with it; nothing here calls the API.
import { CsvError, formatCsv, parseCsv } from "./csv.js";

export const STANDARD_COLUMNS = [
  "first name",
  "last name",
  "email address",
  "password",
  "user login",
  "routing profile name",
  "security_profile_name_1|security_profile_name_2",
  "phone type (soft/desk)",
  "phone number",
  "soft phone auto accept (yes/no)",
  "ACW timeout (seconds)",
] as const;
export const SAML_COLUMNS = STANDARD_COLUMNS.filter((c) => c !== "email address" && c !== "password");
export const OPTIONAL_COLUMNS = ["user hierarchy", "secondary email", "mobile", "tags"] as const;
type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

export type Variant = "standard" | "saml";

/** One user as a row of the template describes it. */
export interface UserSpec {
  login: string;
  firstName: string;
  lastName: string;
  /** standard template only; "" = not given (kept on update) */
  email: string;
  /** standard template only; used when creating (Connect's bulk update does not change passwords) */
  password: string;
  routingProfileName: string;
  securityProfileNames: string[];
  phoneType: "SOFT_PHONE" | "DESK_PHONE";
  phoneNumber: string;
  autoAccept: boolean;
  acwTimeout: number;
  /** undefined: the column is absent (left as it is); [] : no group */
  hierarchyPath?: string[];
  /** undefined: the column is absent; "": cleared */
  secondaryEmail?: string;
  mobile?: string;
  /** undefined: the column is absent; tags in the file are set, others are left alone */
  tags?: Record<string, string>;
}

export type ParsedRow =
  | { line: number; login: string; spec: UserSpec; errors?: undefined }
  | { line: number; login: string; spec?: undefined; errors: string[] };

export interface ParsedTemplate {
  variant: Variant;
  /** the optional columns the file has, in its order */
  optional: OptionalColumn[];
  rows: ParsedRow[];
}

export class TemplateError extends Error {}

const norm = (s: string) => s.trim().toLowerCase();

/** Splits a `|` list: trimmed, empty parts dropped. */
export const splitList = (cell: string) =>
  cell
    .split("|")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** A hierarchy path `Level1/Level2/…`: trimmed group names; "" = no group. */
export const splitPath = (cell: string) =>
  cell
    .split("/")
    .map((s) => s.trim())
    .filter((s) => s !== "");

function parseTags(cell: string, errors: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of splitList(cell)) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      errors.push(`tags: '${pair}' is not key=value`);
      continue;
    }
    tags[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return tags;
}

function yesNo(cell: string, errors: string[]): boolean {
  const v = norm(cell);
  if (v === "yes" || v === "y" || v === "true") return true;
  if (v === "" || v === "no" || v === "n" || v === "false") return false;
  errors.push(`soft phone auto accept (yes/no): '${cell}' is neither yes nor no`);
  return false;
}

/** Reads the header: which variant, which optional columns; throws TemplateError naming the difference. */
function readHeader(header: readonly string[]): { variant: Variant; optional: OptionalColumn[] } {
  const names = header.map(norm);
  const standard = STANDARD_COLUMNS.map(norm);
  const saml = SAML_COLUMNS.map(norm);
  const starts = (cols: string[]) => cols.every((c, i) => names[i] === c);
  const variant: Variant | undefined = starts(standard) ? "standard" : starts(saml) ? "saml" : undefined;
  if (!variant) {
    throw new TemplateError(
      `the header is not Connect's user template; it must start with:\n${STANDARD_COLUMNS.join(",")}\n(or, for a SAML instance, without 'email address' and 'password')`,
    );
  }
  const rest = names.slice(variant === "standard" ? standard.length : saml.length);
  const optional: OptionalColumn[] = [];
  for (const name of rest) {
    const known = OPTIONAL_COLUMNS.find((c) => c === name);
    if (!known) throw new TemplateError(`unknown column '${name}' (optional columns: ${OPTIONAL_COLUMNS.join(", ")})`);
    if (optional.includes(known)) throw new TemplateError(`column '${name}' appears twice`);
    optional.push(known);
  }
  return { variant, optional };
}

/** Parses a template file; throws CsvError or TemplateError when the file as a whole cannot be read. */
export function parseTemplate(text: string): ParsedTemplate {
  const records = parseCsv(text);
  const header = records[0];
  if (!header) throw new TemplateError("the file is empty");
  const { variant, optional } = readHeader(header);
  const width = header.length;
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  // parseCsv skips blank lines, so the line of a record is not its index: count records' lines.
  let line = 1;
  const lines = lineNumbers(text);
  for (let r = 1; r < records.length; r++) {
    const cells = records[r] as string[];
    line = lines[r] ?? line + 1;
    const errors: string[] = [];
    if (cells.length !== width) errors.push(`${cells.length} fields where the header has ${width}`);
    const col = (name: string) => {
      const i = header.findIndex((h) => norm(h) === norm(name));
      return i < 0 ? "" : (cells[i] ?? "").trim();
    };
    const login = col("user login");
    if (login === "") errors.push("user login is empty");
    const firstName = col("first name");
    const lastName = col("last name");
    if (firstName === "") errors.push("first name is empty");
    if (lastName === "") errors.push("last name is empty");
    const routingProfileName = col("routing profile name");
    if (routingProfileName === "") errors.push("routing profile name is empty");
    const securityProfileNames = splitList(col(STANDARD_COLUMNS[6]));
    if (securityProfileNames.length === 0) errors.push("no security profile");
    const phone = norm(col("phone type (soft/desk)"));
    const phoneType = phone === "desk" ? "DESK_PHONE" : "SOFT_PHONE";
    if (phone !== "" && phone !== "soft" && phone !== "desk") errors.push(`phone type (soft/desk): '${phone}' is neither soft nor desk`);
    const phoneNumber = col("phone number");
    if (phoneType === "DESK_PHONE" && phoneNumber === "") errors.push("a desk phone needs a phone number");
    const autoAccept = yesNo(col("soft phone auto accept (yes/no)"), errors);
    const acw = col("ACW timeout (seconds)");
    const acwTimeout = acw === "" ? 0 : Number(acw);
    if (!Number.isInteger(acwTimeout) || acwTimeout < 0) errors.push(`ACW timeout (seconds): '${acw}' is not a whole number of seconds`);
    const spec: UserSpec = {
      login,
      firstName,
      lastName,
      email: variant === "standard" ? col("email address") : "",
      password: variant === "standard" ? col("password") : "",
      routingProfileName,
      securityProfileNames,
      phoneType,
      phoneNumber,
      autoAccept,
      acwTimeout,
    };
    if (optional.includes("user hierarchy")) spec.hierarchyPath = splitPath(col("user hierarchy"));
    if (optional.includes("secondary email")) spec.secondaryEmail = col("secondary email");
    if (optional.includes("mobile")) spec.mobile = col("mobile");
    if (optional.includes("tags")) spec.tags = parseTags(col("tags"), errors);
    const key = login.toLowerCase();
    const earlier = seen.get(key);
    if (login !== "" && earlier !== undefined) errors.push(`user login '${login}' is also on line ${earlier}`);
    else if (login !== "") seen.set(key, line);
    rows.push(errors.length > 0 ? { line, login, errors } : { line, login, spec });
  }
  return { variant, optional, rows };
}

/** The 1-based line each record starts on (same rules as parseCsv: blank lines skipped). */
function lineNumbers(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let quoted = false;
  let atStart = true;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (atStart && c !== "\n" && c !== "\r") {
      starts.push(line);
      atStart = false;
    }
    if (c === '"') quoted = !quoted;
    else if (c === "\n") {
      line++;
      if (!quoted) atStart = true;
    }
  }
  return starts;
}

/** The header a file of this variant, with these optional columns, has. */
export function templateHeader(variant: Variant, optional: readonly OptionalColumn[] = OPTIONAL_COLUMNS): string[] {
  return [...(variant === "standard" ? STANDARD_COLUMNS : SAML_COLUMNS), ...optional];
}

/** A spec as a template row (the inverse of parseTemplate, password left empty). */
export function templateRow(spec: UserSpec, variant: Variant, optional: readonly OptionalColumn[] = OPTIONAL_COLUMNS): string[] {
  const cells = [spec.firstName, spec.lastName];
  if (variant === "standard") cells.push(spec.email, "");
  cells.push(
    spec.login,
    spec.routingProfileName,
    spec.securityProfileNames.join("|"),
    spec.phoneType === "DESK_PHONE" ? "desk" : "soft",
    spec.phoneNumber,
    spec.autoAccept ? "yes" : "no",
    String(spec.acwTimeout),
  );
  for (const c of optional) {
    if (c === "user hierarchy") cells.push((spec.hierarchyPath ?? []).join("/"));
    if (c === "secondary email") cells.push(spec.secondaryEmail ?? "");
    if (c === "mobile") cells.push(spec.mobile ?? "");
    if (c === "tags")
      cells.push(
        Object.entries(spec.tags ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join("|"),
      );
  }
  return cells;
}

export function formatTemplate(specs: readonly UserSpec[], variant: Variant): string {
  return formatCsv([templateHeader(variant), ...specs.map((s) => templateRow(s, variant))]);
}

export { CsvError };
