// The implementation of org.example.greeter, on the handler interface varlink-ts generates.
import { Greeter } from "./generated/index.js";

const greetings = { en: "Hello", de: "Hallo", fr: "Bonjour" } as const;

export const greeterHandlers: Greeter.GreeterHandlers = {
  Greet({ name, style }) {
    if (name === "") throw new Greeter.EmptyName({});
    const greeting = `${greetings[style?.language ?? "en"]}, ${name}!`;
    return { greeting: style?.loud ? greeting.toUpperCase() : greeting };
  },
  async *Countdown({ from }) {
    for (let remaining = from; remaining > 0; remaining--) {
      yield { remaining };
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  },
};

export const greeterService = Greeter.createGreeterService(greeterHandlers);
