// The implementation of org.example.greeter: a handler for every method of the interface
// descriptor varlink-ts generates (a method left out is a type error).
import { setTimeout } from "node:timers/promises";
import { implementInterface } from "@varlink-ts/runtime";
import { EmptyName, Greeter, type GreeterHandlers } from "./generated/org.example.greeter.js";

const greetings = { en: "Hello", de: "Hallo", fr: "Bonjour" } as const;

export const greeterHandlers: GreeterHandlers = {
  Greet({ name, style }) {
    if (name === "") throw new EmptyName();
    const greeting = `${greetings[style?.language ?? "en"]}, ${name}!`;
    return { greeting: style?.loud ? greeting.toUpperCase() : greeting };
  },
  // The last number is returned, not yielded: a returned value is the stream's final reply. A
  // generator that yields its last value and then pauses must end with an empty reply, which
  // `remaining: int` does not allow. The signal fires when the client leaves or the server stops.
  async *Countdown({ from }, { signal }) {
    for (let remaining = from; remaining > 1; remaining--) {
      yield { remaining };
      await setTimeout(100, undefined, { signal });
    }
    return { remaining: Math.min(from, 1) };
  },
};

export const greeterService = implementInterface(Greeter, greeterHandlers);
