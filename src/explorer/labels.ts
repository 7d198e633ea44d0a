import { el } from "./dom.js";
import type { MethodModes } from "@varlink-ts/runtime/model";
import type { ExplorerService } from "./model.js";

// Words the page uses in more than one place, said the same way everywhere.

/** A method's modes as badges: "requires more", "supports more", "requires upgrade", … */
export function modeBadges(method: MethodModes): HTMLElement[] {
  const list: HTMLElement[] = [];
  if (method.more !== undefined)
    list.push(
      el("span", {
        class: "badge",
        text: `${method.more} more`,
        title:
          method.more === "requires" ? "Streams its replies: call it with Stream (more)" : "May stream its replies",
      }),
    );
  if (method.upgrade !== undefined) list.push(el("span", { class: "badge", text: `${method.upgrade} upgrade` }));
  return list;
}

/** The heading over an interface's declared errors. */
export function errorsHeading(count: number): string {
  return `Errors it can raise (${count})`;
}

/** A dotted name that may wrap at its dots only, never mid-word. */
export function dotted(name: string): HTMLElement {
  return el("code", { class: "dotted" }, ...breakable(name, /(?<=\.)/));
}

/** A method's name as text that may wrap between its words (before each capital), never mid-word. */
export function camel(name: string): Array<Node | string> {
  return breakable(name, /(?=[A-Z][a-z])/);
}

function breakable(name: string, at: RegExp): Array<Node | string> {
  return name.split(at).flatMap((part, index) => (index > 0 ? [document.createElement("wbr"), part] : [part]));
}

/** Whether a service can be reached and what it says of itself, in words (the sidebar and the landing page say it alike). */
export function serviceState(service: ExplorerService): {
  kind: "up" | "no-info" | "down";
  text: Array<Node | string>;
} {
  if (service.unreachable !== undefined)
    return { kind: "down", text: ["Cannot be reached: ", service.unreachable, "."] };
  const info = service.info;
  if (info === undefined)
    return {
      kind: "no-info",
      text: ["Does not describe itself: GetInfo failed with ", dotted(service.infoError ?? "an unknown error"), "."],
    };
  return { kind: "up", text: [[info.vendor, info.product, info.version].filter((part) => part !== "").join(" · ")] };
}
