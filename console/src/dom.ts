// A few lines instead of a framework: elements built with h(), text always as text nodes (never
// innerHTML), so user data cannot become markup.
export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Attrs = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "value" || k === "checked" || k === "selected") (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === "object" ? (c as Node) : document.createTextNode(String(c)));
  }
}

/** Replaces an element's content. */
export function put(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let seq = 0;
/** A unique id for label/field pairs. */
export const uid = (p: string) => `${p}-${++seq}`;

/** A labelled field: <label for> + the control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uid("f");
  const hintId = hint ? uid("hint") : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hint ? h("small", { id: hintId }, hint) : null);
}

/** A live region for a form's outcome: errors as alerts, successes as status. */
export function outcome(): { el: HTMLElement; ok(text: string): void; fail(text: string): void; clear(): void } {
  const el = h("div", { class: "outcome", "aria-live": "polite" });
  return {
    el,
    ok: (text) => put(el, h("p", { class: "ok", role: "status" }, text)),
    fail: (text) => put(el, h("p", { class: "error", role: "alert" }, text)),
    clear: () => put(el),
  };
}
