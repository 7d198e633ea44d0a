import { el } from "./dom.js";
import type { ExplorerMethod } from "./model.js";

// Words the page uses in more than one place, said the same way everywhere.

/** A method's modes as badges: "requires more", "supports more", "requires upgrade", … */
export function modeBadges(method: ExplorerMethod): HTMLElement[] {
  const list: HTMLElement[] = [];
  if (method.more !== undefined) list.push(el("span", { class: "badge", text: `${method.more} more`, title: method.more === "requires" ? "Streams its replies: call it with Stream (more)" : "May stream its replies" }));
  if (method.upgrade !== undefined) list.push(el("span", { class: "badge", text: `${method.upgrade} upgrade` }));
  return list;
}

/** The heading over an interface's declared errors. */
export function errorsHeading(count: number): string {
  return `Errors it can raise (${count})`;
}

/** A dotted name that may wrap at its dots only, never mid-word. */
export function dotted(name: string): HTMLElement {
  const code = el("code", { class: "dotted" });
  name.split(".").forEach((part, index) => {
    if (index > 0) code.append(".", document.createElement("wbr"));
    code.append(part);
  });
  return code;
}
