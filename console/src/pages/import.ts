// CSV bulk import in the browser: the same parser and importer as `switchboard import-users`
// (src/bulk/), run here with the signed-in key — upload, a dry run previewing every row, the
// import with a progress bar, and the result CSV to download.
import { formatCsv } from "../../../src/bulk/csv.js";
import { importUsers, RESULT_HEADER, type RowResult, resultRow } from "../../../src/bulk/importer.js";
import { type ParsedRow, parseTemplate } from "../../../src/bulk/template.js";
import { connect, describe } from "../api.js";
import { field, h, outcome, put } from "../dom.js";
import { page, table } from "../layout.js";

function resultTable(caption: string, results: readonly RowResult[], dryRun: boolean): HTMLElement {
  const verb = (s: string) => (dryRun && (s === "created" || s === "updated") ? `will be ${s}` : s);
  return table(
    caption,
    [
      { title: "Line", cell: (r: RowResult) => String(r.line), key: (r) => r.line },
      { title: "User login", cell: (r) => r.login, key: (r) => r.login },
      { title: "Status", cell: (r) => h("span", { class: `status-${r.status}` }, verb(r.status)), key: (r) => r.status },
      { title: "Changes", cell: (r) => r.changes.join(", ") },
      { title: "Error", cell: (r) => r.error ?? "" },
    ],
    results,
  );
}

const count = (results: readonly RowResult[], status: string) => results.filter((r) => r.status === status).length;

export function importPage(instanceId: string): void {
  const file = h("input", { type: "file", name: "file", accept: ".csv,text/csv" });
  const result = outcome();
  const preview = h("div");
  const progress = h("progress", { max: "1", value: "0", hidden: true, "aria-label": "Import progress" });
  const status = h("p", { role: "status" });
  const run = h("button", { type: "button", disabled: true }, "Import");
  const download = h("p");
  let rows: ParsedRow[] = [];

  file.addEventListener("change", async () => {
    result.clear();
    put(preview);
    put(download);
    run.disabled = true;
    const f = file.files?.[0];
    if (!f) return;
    try {
      rows = parseTemplate(await f.text()).rows;
    } catch (err) {
      return result.fail(`The file cannot be imported: ${(err as Error).message}`);
    }
    status.textContent = `Checking ${rows.length} rows (dry run: nothing changes)…`;
    try {
      const checked = await importUsers(rows, { client: connect(), instanceId, dryRun: true });
      status.textContent = `Preview: ${count(checked, "created")} to create, ${count(checked, "updated")} to update, ${count(checked, "unchanged")} unchanged, ${count(checked, "failed")} failing.`;
      put(preview, resultTable("Preview (dry run)", checked, true));
      run.disabled = false;
      run.textContent = `Import ${rows.length} rows`;
    } catch (err) {
      status.textContent = "";
      result.fail(describe(err));
    }
  });

  run.addEventListener("click", async () => {
    run.disabled = true;
    progress.hidden = false;
    progress.max = rows.length;
    progress.value = 0;
    try {
      const results = await importUsers(rows, {
        client: connect(),
        instanceId,
        onRow: (_r, done, total) => {
          progress.value = done;
          status.textContent = `Imported ${done} of ${total} rows…`;
        },
      });
      status.textContent = `Done: ${count(results, "created")} created, ${count(results, "updated")} updated, ${count(results, "unchanged")} unchanged, ${count(results, "failed")} failed.`;
      put(preview, resultTable("Result", results, false));
      const blob = new Blob([formatCsv([RESULT_HEADER, ...results.map(resultRow)])], { type: "text/csv" });
      put(download, h("a", { href: URL.createObjectURL(blob), download: "import-result.csv" }, "Download the result (CSV)"));
    } catch (err) {
      result.fail(describe(err));
    }
  });

  page(
    "Import users",
    h(
      "p",
      {},
      h("a", { href: `#/i/${instanceId}/users` }, "← Users"),
      " · Connect's bulk-user CSV template (standard or SAML), optional columns user hierarchy, secondary email, mobile, tags.",
    ),
    h(
      "div",
      { class: "card" },
      field("CSV file", file, "Checked row by row before anything changes."),
      run,
      progress,
      status,
      result.el,
      download,
    ),
    preview,
  );
}
