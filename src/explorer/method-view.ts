import { convertIntegers, interfaceTypes, parseJson, reportIssues, stringifyJson } from "@varlink-ts/runtime";
import { connectionTo } from "./api.js";
import { el } from "./dom.js";
import type { Editor, Problem } from "./form/editor.js";
import { editorContext } from "./form/make-editor.js";
import type { ExplorerInterface, ExplorerMethod } from "./model.js";
import { Results } from "./results.js";

// One method: its documentation, a form for its parameters (or raw JSON), and buttons for each
// way the method may be called. Parameters are checked with the runtime's own rules, the ones
// generated validators use, before anything is sent.

export function methodView(service: string, owner: ExplorerInterface, method: ExplorerMethod): HTMLElement {
  const qualified = `${owner.name}.${method.name}`;
  const types = interfaceTypes(owner.description, "bigint");
  const form: Editor = editorContext(owner.types).make(method.input, 0);
  const raw = el("textarea", { class: "raw json", attrs: { rows: "8", spellcheck: "false", "aria-label": "parameters as JSON" } });
  raw.hidden = true;
  const results = new Results(owner);
  let rawMode = false;

  const toggleRaw = el("button", {
    class: "toggle-raw",
    text: "Edit as JSON",
    attrs: { type: "button" },
    on: {
      click: () => {
        if (!rawMode) raw.value = stringifyJson(form.read([], []) ?? {}, 2);
        else {
          try {
            form.write(parseJson(raw.value.trim() === "" ? "{}" : raw.value));
          } catch (error) {
            return results.problems([`the JSON does not parse: ${error instanceof Error ? error.message : String(error)}`]);
          }
        }
        rawMode = !rawMode;
        raw.hidden = !rawMode;
        form.element.hidden = rawMode;
        toggleRaw.textContent = rawMode ? "Edit as a form" : "Edit as JSON";
      },
    },
  });

  /** The parameters, or the problems that keep them from being sent (shown at their fields). */
  const parameters = (): { value: object } | undefined => {
    const problems: Problem[] = [];
    let value: unknown = {};
    if (rawMode) {
      try {
        value = raw.value.trim() === "" ? {} : parseJson(raw.value);
      } catch (error) {
        results.problems([`the JSON does not parse: ${error instanceof Error ? error.message : String(error)}`]);
        return undefined;
      }
      value = convertIntegers(types, `${method.name}.input`, value, "bigint").value;
    } else value = form.read(problems, []);
    for (const issue of reportIssues(types, `${method.name}.input`, value, { exact: true })) {
      // The form holds every int as a bigint, to keep 64-bit values exact; that is not the user's concern.
      const expected = issue.expected.replace(" (as a bigint)", "");
      if (!problems.some((p) => p.segments.join("\u0000") === issue.segments.join("\u0000"))) problems.push({ segments: issue.segments, message: `expected ${expected}, got ${issue.got}` });
    }
    form.showProblems(problems);
    if (problems.length > 0) {
      results.problems(problems.map((p) => `${p.segments.length > 0 ? p.segments.join(".") : "parameters"}: ${p.message}`));
      return undefined;
    }
    return { value: value as object };
  };

  const run = async (mode: "call" | "more" | "oneway"): Promise<void> => {
    const checked = parameters();
    if (checked === undefined) return;
    const connection = connectionTo(service);
    try {
      if (mode === "oneway") {
        results.start("Sending (oneway)…");
        await connection.oneway(qualified, checked.value);
        results.status("Sent as oneway: no reply is expected.");
      } else if (mode === "call") {
        results.start("Calling…");
        results.reply(await connection.call(qualified, checked.value));
        results.status("Reply:");
      } else {
        results.start("Streaming…");
        const stop = el("button", { class: "stop", text: "Stop", attrs: { type: "button" } });
        const replies = connection.more(qualified, checked.value);
        stop.addEventListener("click", () => void replies.return?.());
        results.element.prepend(stop);
        for await (const reply of replies) {
          results.reply(reply);
          results.status(`Streaming… ${results.replyCount} ${results.replyCount === 1 ? "reply" : "replies"}`);
        }
        stop.remove();
        results.status(`Done: ${results.replyCount} ${results.replyCount === 1 ? "reply" : "replies"}.`);
      }
    } catch (error) {
      results.status(mode === "more" && results.replyCount > 0 ? `Ended with an error after ${results.replyCount} replies:` : "Failed:");
      results.error(error);
    } finally {
      results.element.querySelector(".stop")?.remove();
      await connection.close();
    }
  };

  const button = (text: string, mode: "call" | "more" | "oneway", title: string): HTMLButtonElement =>
    el("button", { class: `run ${mode}`, text, title, attrs: { type: "button" }, on: { click: () => void run(mode) } });
  const upgradeOnly = method.upgrade === "requires";
  const buttons = upgradeOnly
    ? [el("p", { class: "note", text: "This method upgrades the connection to another protocol; it cannot be called from this page." })]
    : [
        method.more !== "requires" ? button("Call", "call", "One call, one reply") : null,
        method.more !== undefined ? button("Stream (more)", "more", "Ask for every reply; they appear as they arrive") : null,
        method.more !== "requires" ? button("Oneway", "oneway", "Send the call and wait for nothing") : null,
      ];

  return el(
    "article",
    { class: "method", attrs: { "data-method": qualified } },
    el("header", {}, el("h2", { text: qualified }), ...badges(method)),
    method.doc !== undefined ? el("p", { class: "doc", text: method.doc }) : null,
    el("pre", { class: "signature", text: method.signature }),
    el("section", { class: "parameters" }, el("div", { class: "parameters-head" }, el("h3", { text: "Parameters" }), toggleRaw), form.element, raw),
    el("div", { class: "actions" }, ...buttons),
    results.element,
  );
}

function badges(method: ExplorerMethod): HTMLElement[] {
  const list: HTMLElement[] = [];
  if (method.more === "requires") list.push(el("span", { class: "badge", text: "requires more" }));
  if (method.more === "supports") list.push(el("span", { class: "badge", text: "supports more" }));
  if (method.upgrade !== undefined) list.push(el("span", { class: "badge", text: `${method.upgrade} upgrade` }));
  return list;
}
