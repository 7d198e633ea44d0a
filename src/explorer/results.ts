import { ConnectionError, stringifyJson, VarlinkError } from "@varlink-ts/runtime";
import { clear, el } from "./dom.js";
import { duration, type PastCall } from "./history.js";
import { docProse, type InterfaceModel } from "@varlink-ts/runtime/model";
import { errorsOf } from "./model.js";

// What a call brought back: its replies as they arrive, or its error by name and parameters. A
// stream's replies are one line each (number, time since the call, the reply cut short), the
// newest kept in view; a click opens one. The status line counts them and the time taken.

/** How much of a reply its one line shows. */
const lineLength = 160;
/** How many replies of a stream the history keeps. */
const keptReplies = 50;

export class Results {
  readonly element = el("section", { class: "results", attrs: { "aria-live": "polite" } });
  private replies: HTMLElement | undefined;
  private count = 0;
  private started = 0;
  /** What came back, as text, for the history: each reply (the first ones), or the error. */
  private texts: string[] = [];

  constructor(private readonly owner: InterfaceModel) {}

  start(what: string): void {
    this.count = 0;
    this.texts = [];
    this.started = performance.now();
    this.replies = el("ol", { class: "replies" });
    clear(this.element, el("p", { class: "status", text: what }), this.replies);
  }

  status(text: string): void {
    const status = this.element.querySelector(".status");
    if (status !== null) status.textContent = text;
  }

  /** "3 replies in 1.2 s", for the status line. */
  get tally(): string {
    return `${this.count} ${this.count === 1 ? "reply" : "replies"} in ${this.elapsed()}`;
  }

  /** One reply. `collapsed`: a line that opens on click (a stream's); else shown whole. */
  reply(value: unknown, collapsed = false): void {
    this.count++;
    const text = stringifyJson(value, 2);
    if (this.texts.length < keptReplies) this.texts.push(text);
    const pre = el("pre", { text });
    if (!collapsed) return void this.replies?.append(el("li", { class: "reply" }, pre));
    const line = stringifyJson(value);
    const summary = el(
      "summary",
      {},
      el("span", { class: "reply-number", text: `#${this.count}` }),
      el("span", { class: "reply-time", text: `+${this.elapsed()}` }),
      el("code", { class: "reply-line", text: line.length > lineLength ? `${line.slice(0, lineLength - 1)}…` : line }),
    );
    this.replies?.append(el("li", { class: "reply collapsed" }, el("details", {}, summary, pre)));
    // The newest stays in view while the list scrolls within its own box.
    if (this.replies !== undefined) this.replies.scrollTop = this.replies.scrollHeight;
  }

  get replyCount(): number {
    return this.count;
  }

  /** The time since the call started: "12 ms". */
  get took(): string {
    return this.elapsed();
  }

  get ms(): number {
    return performance.now() - this.started;
  }

  /** What came back, as text, for the history. */
  get resultText(): string {
    return this.texts.join("\n");
  }

  /** Brings the status and what came back into view: a reply must not land below the fold unseen. */
  reveal(): void {
    this.element.scrollIntoView({ block: "nearest", behavior: "instant" });
  }

  /** A call from the history, as it ended. */
  past(call: PastCall): void {
    const at = new Date(call.at).toLocaleTimeString();
    clear(
      this.element,
      el("p", { class: "status" }, el("span", { class: "from-history", text: `Earlier (${at}): ` }), call.summary),
      el("pre", { class: call.ok ? "past-result" : "past-result failed", text: call.result }),
    );
  }

  error(error: unknown): void {
    if (error instanceof VarlinkError) {
      this.texts.push(stringifyJson({ error: error.errorName, parameters: error.parameters }, 2));
      const prefix = `${this.owner.name}.`;
      const declared = error.errorName.startsWith(prefix)
        ? errorsOf(this.owner).find((e) => e.name === error.errorName.slice(prefix.length))
        : undefined;
      const doc = docProse(declared?.doc);
      this.element.append(
        el(
          "div",
          { class: "error-reply", attrs: { role: "alert" } },
          el(
            "p",
            {},
            el("span", { text: declared !== undefined ? "Error declared by the interface: " : "Error " }),
            el("code", { class: "error-name", text: error.errorName }),
          ),
          doc !== undefined ? el("p", { class: "doc", text: doc }) : null,
          el("pre", { class: "error-parameters", text: stringifyJson(error.parameters, 2) }),
        ),
      );
    } else {
      const message = error instanceof ConnectionError || error instanceof Error ? error.message : String(error);
      this.texts.push(message);
      this.element.append(el("div", { class: "failure", attrs: { role: "alert" } }, el("p", { text: message })));
    }
  }

  problems(messages: readonly string[]): void {
    clear(
      this.element,
      el(
        "div",
        { class: "not-sent", attrs: { role: "alert" } },
        el("p", {
          text: `Not sent: ${messages.length === 1 ? "1 problem" : `${messages.length} problems`} with the parameters.`,
        }),
        el("ul", {}, ...messages.map((m) => el("li", { text: m }))),
      ),
    );
  }

  private elapsed(): string {
    return duration(performance.now() - this.started);
  }
}
