import { CallAbortedError, parseJson, stringifyJson } from "@varlink-ts/runtime";
import { convertIntegers, interfaceTypes, reportIssues } from "@varlink-ts/runtime/codegen";
import { docProse, typeText, type InterfaceModel } from "@varlink-ts/runtime/model";
import { connectionTo, savedToken } from "./api.js";
import { el } from "./dom.js";
import type { Editor, Problem } from "./form/editor.js";
import { editorContext } from "./form/make-editor.js";
import { declaredType, offeredModes, type MethodMember } from "./model.js";
import { modeBadges } from "./labels.js";
import { methodReference } from "./reference.js";
import { callHash, callLink, cliCommand, curlCommand, type SharedCall } from "./share.js";
import { Results } from "./results.js";
import { remember, type PastCall } from "./history.js";

// One method: its documentation, a form for its parameters (or raw JSON), and buttons for each
// way the method may be called. Parameters are checked with the runtime's own rules, the ones
// generated validators use, before anything is sent.

/**
 * `initial`: the parameters' JSON text a link carried (#SERVICE/METHOD?PARAMETERS), shown in the
 * form. `past`: a call from the history, shown as it ended, and made again if asked.
 */
export function methodView(
  service: string,
  owner: InterfaceModel,
  method: MethodMember,
  initial?: string,
  past?: { call: PastCall; rerun: boolean },
): HTMLElement {
  const qualified = `${owner.name}.${method.name}`;
  // The runtime's rules over the model the bridge sent: nothing is parsed here.
  const types = interfaceTypes(owner, "bigint");
  const form: Editor = editorContext((name) => declaredType(owner, name)?.type).make(method.input, 0);
  const modes = offeredModes(owner, method);
  const doc = docProse(method.doc);
  const raw = el("textarea", {
    class: "raw json",
    attrs: { rows: "8", spellcheck: "false", "aria-label": "parameters as JSON" },
  });
  raw.hidden = true;
  const results = new Results(owner);
  let rawMode = false;
  if (initial !== undefined) {
    try {
      form.write(parseJson(initial));
    } catch (error) {
      results.problems([
        `the link's parameters do not parse: ${error instanceof Error ? error.message : String(error)}`,
      ]);
    }
  }

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
            return results.problems([
              `the JSON does not parse: ${error instanceof Error ? error.message : String(error)}`,
            ]);
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
      if (!problems.some((p) => p.segments.join("\u0000") === issue.segments.join("\u0000")))
        problems.push({ segments: issue.segments, message: `expected ${expected}, got ${issue.got}` });
    }
    form.showProblems(problems);
    if (problems.length > 0) {
      results.problems(
        problems.map((p) => `${p.segments.length > 0 ? p.segments.join(".") : "parameters"}: ${p.message}`),
      );
      return undefined;
    }
    return { value: value as object };
  };

  const run = async (mode: "call" | "more" | "oneway"): Promise<void> => {
    const checked = parameters();
    if (checked === undefined) return;
    const connection = connectionTo(service);
    let ok = true;
    try {
      if (mode === "oneway") {
        results.start("Sending (oneway)…");
        await connection.oneway(qualified, checked.value);
        results.status(`Sent as oneway in ${results.took}: no reply is expected.`);
      } else if (mode === "call") {
        results.start("Calling…");
        results.reply(await connection.call(qualified, checked.value));
        results.status(`Replied in ${results.took}.`);
      } else {
        results.start("Streaming…");
        results.reveal();
        // Stop aborts the call: the reply being waited for (maybe never) is given up at once,
        // and the bridge closes the service's connection, which is how varlink stops a stream.
        const stopping = new AbortController();
        const stop = el("button", {
          class: "stop",
          text: "Stop",
          attrs: { type: "button" },
          on: { click: () => stopping.abort() },
        });
        results.element.prepend(stop);
        for await (const reply of connection.more(qualified, checked.value, { signal: stopping.signal })) {
          results.reply(reply, true);
          results.status(`Streaming… ${results.tally}`);
        }
        results.status(`Done: ${results.tally}.`);
      }
    } catch (error) {
      if (mode === "more" && error instanceof CallAbortedError) results.status(`Stopped: ${results.tally}.`);
      else {
        ok = false;
        results.status(
          mode === "more" && results.replyCount > 0
            ? `Ended with an error: ${results.tally}:`
            : `Failed after ${results.took}:`,
        );
        results.error(error);
      }
    } finally {
      results.element.querySelector(".stop")?.remove();
      await connection.close();
    }
    results.reveal();
    const summary = results.element.querySelector(".status")?.textContent ?? "";
    remember({
      service,
      method: qualified,
      parameters: stringifyJson(checked.value),
      mode,
      ok,
      summary,
      result: results.resultText,
      ms: results.ms,
      at: Date.now(),
    });
  };

  const button = (text: string, mode: "call" | "more" | "oneway", title: string): HTMLButtonElement =>
    el("button", { class: `run ${mode}`, text, title, attrs: { type: "button" }, on: { click: () => void run(mode) } });
  const upgradeOnly = modes.upgrade === "requires";
  const buttons = upgradeOnly
    ? [
        el("p", {
          class: "note",
          text: "This method upgrades the connection to another protocol; it cannot be called from this page.",
        }),
      ]
    : [
        modes.more !== "requires" ? button("Call", "call", "One call, one reply") : null,
        modes.more !== undefined
          ? button("Stream (more)", "more", "Ask for every reply; they appear as they arrive")
          : null,
        modes.more !== "requires" ? button("Oneway", "oneway", "Send the call and wait for nothing") : null,
      ].filter((b) => b !== null);
  // One primary action per form: the first way to call it; the others stay quiet.
  buttons[0]?.classList.add("primary");
  if (past !== undefined) {
    results.past(past.call);
    if (past.rerun) queueMicrotask(() => void run(past.call.mode));
  }

  // Copy as curl, as `varlink-ts call`, or as a link: shown (to select, or to read) and copied.
  const shared = el("pre", { class: "share-text", attrs: { "aria-label": "the call as text" } });
  shared.hidden = true;
  const share = (kind: "curl" | "cli" | "link"): void => {
    const checked = parameters();
    if (checked === undefined) return;
    const call: SharedCall = {
      service,
      method: qualified,
      parameters: checked.value,
      mode: modes.more === "requires" ? "more" : "call",
      token: savedToken() !== undefined,
    };
    const text = kind === "curl" ? curlCommand(call) : kind === "cli" ? cliCommand(call) : callLink(call);
    if (kind === "link") history.replaceState(null, "", callHash(service, qualified, checked.value));
    shared.textContent = text;
    shared.dataset["kind"] = kind;
    shared.hidden = false;
    void navigator.clipboard?.writeText(text).catch(() => {});
  };
  const shareButton = (kind: "curl" | "cli" | "link", text: string): HTMLButtonElement =>
    el("button", { class: `share ${kind}`, text, attrs: { type: "button" }, on: { click: () => share(kind) } });

  return el(
    "article",
    { class: "method", attrs: { "data-method": qualified } },
    el("header", {}, el("h2", { text: qualified }), ...modeBadges(modes)),
    doc !== undefined ? el("p", { class: "doc", text: doc }) : null,
    signature(`method ${method.name}${typeText(method.input)} -> ${typeText(method.output)}`),
    el(
      "section",
      { class: "parameters" },
      el("div", { class: "parameters-head" }, el("h3", { text: "Parameters" }), toggleRaw),
      form.element,
      raw,
    ),
    el("div", { class: "actions" }, ...buttons),
    el(
      "div",
      { class: "share-row" },
      shareButton("curl", "Copy as curl"),
      shareButton("cli", "Copy as varlink-ts call"),
      shareButton("link", "Link to this call"),
    ),
    shared,
    results.element,
    methodReference(owner, method),
  );
}

/**
 * The method as the IDL writes it. A line may end after a comma or before "->", never inside a
 * field, a type or the arrow: each piece between those places is kept whole.
 */
function signature(text: string): HTMLElement {
  const pieces = text.split(/(?<=,) | (?=-> )/);
  return el(
    "pre",
    { class: "signature" },
    ...pieces.flatMap((piece, i) => [...(i === 0 ? [] : [" "]), el("span", { class: "unbroken", text: piece })]),
  );
}
