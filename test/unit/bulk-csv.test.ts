// RFC 4180 CSV: quoting, doubled quotes, line breaks inside fields, CRLF, BOM, and the errors.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CsvError, formatCsv, parseCsv } from "../../src/bulk/csv.js";

describe("parseCsv", () => {
  test("plain fields, CRLF and LF records, a BOM, blank lines skipped", () => {
    assert.deepEqual(parseCsv("\ufeffa,b,c\r\n1,2,3\n\n4,,6\n"), [
      ["a", "b", "c"],
      ["1", "2", "3"],
      ["4", "", "6"],
    ]);
  });
  test("quoted fields hold commas, doubled quotes and line breaks", () => {
    assert.deepEqual(parseCsv('"a,b","say ""hi""","two\r\nlines"\n""\n'), [["a,b", 'say "hi"', "two\r\nlines"], [""]]);
  });
  test("a last record without a line break", () => {
    assert.deepEqual(parseCsv("x,y"), [["x", "y"]]);
    assert.deepEqual(parseCsv("x,"), [["x", ""]]);
  });
  test("malformed quoting is an error naming the line", () => {
    assert.throws(
      () => parseCsv('a\nb"c\n'),
      (e: unknown) => e instanceof CsvError && e.line === 2,
    );
    assert.throws(() => parseCsv('"open\n'), CsvError);
    assert.throws(() => parseCsv('"a"b\n'), CsvError);
  });
  test("formatCsv quotes only what needs it and round-trips", () => {
    const rows = [
      ["plain", "with,comma", 'with "quote"', "multi\nline", " padded ", ""],
      ["é|ü", "a|b", "=1+1", "", "x", "y"],
    ];
    const text = formatCsv(rows);
    assert.equal(text.split("\r\n")[0], 'plain,"with,comma","with ""quote""","multi\nline"," padded ",');
    assert.deepEqual(parseCsv(text), rows);
  });
});
