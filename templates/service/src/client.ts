// Calls the greeter: `npm run client -- Ada` (with `npm start` running in another terminal).
import { connect, createClient } from "@varlink-ts/runtime";
import { Greeter } from "./generated/org.example.greeter.js";

const address = process.env["GREETER_ADDRESS"] ?? "unix:/tmp/org.example.greeter.sock";

const connection = await connect(address);
const client = createClient(Greeter, connection);
try {
  const { greeting } = await client.Greet({ name: process.argv[2] ?? "world", style: { loud: false, language: "en" } });
  console.log(greeting);
  for await (const { remaining } of client.Countdown({ from: 3 })) console.log(remaining);
} finally {
  await connection.close();
}
