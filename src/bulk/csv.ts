// CSV as RFC 4180 writes it (https://www.rfc-editor.org/rfc/rfc4180): fields separated by commas,
// records by CRLF (LF alone accepted too), a field with a comma, quote or line break enclosed in
// double quotes, a quote inside one doubled. No CSV package is in the dependency tree and the
// importer needs only this much, so it is written here (with its tests) rather than added.

export class CsvError extends Error {
  constructor(
    message: string,
    /** 1-based line of the input where the problem is */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Every record of the text, each a list of fields; a UTF-8 BOM and blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  /** the current field started with a quote (so "" is a field, not nothing) */
  let wasQuoted = false;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    record.push(field);
    if (!(record.length === 1 && record[0] === "" && !wasQuoted)) records.push(record);
    record = [];
    field = "";
    wasQuoted = false;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== "" || wasQuoted)
        throw new CsvError("a quote inside an unquoted field (enclose the field in quotes and double the quote)", line);
      quoted = true;
      wasQuoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
      wasQuoted = false;
    } else if (c === "\r" && text[i + 1] === "\n") {
      // CRLF: the \n ends the record
    } else if (c === "\n") {
      endRecord();
      line++;
    } else {
      if (wasQuoted) throw new CsvError("text after a closing quote", line);
      field += c;
    }
  }
  if (quoted) throw new CsvError("a quoted field is not closed", line);
  if (field !== "" || record.length > 0 || wasQuoted) endRecord();
  return records;
}

/** One field as RFC 4180 writes it: quoted only when it must be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records as CSV text, CRLF-terminated. */
export function formatCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => `${r.map(csvField).join(",")}\r\n`).join("");
}
