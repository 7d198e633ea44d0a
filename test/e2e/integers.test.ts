import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import {
  createClient,
  implementInterface,
  InvalidParameter,
  ReplyValidationError,
  SocketConnection,
  type ServiceInterface,
} from "@varlink-ts/runtime";
import { interfaceTypes } from "@varlink-ts/runtime/codegen";
import * as bigint from "../generated/bigint/org.example.integers.js";
import * as number from "../generated/org.example.integers.js";
import { cliProcess } from "../helpers/cli.js";
import { startServer } from "../helpers/runtime.js";

// 64-bit integers are exact or refused, never rounded: a service that sends 2^63-1 or 2^64-1
// (systemd's "infinity") reaches a number-mode client as an error naming the path, a bigint-mode
// client as the exact bigint, and the command line prints it digit for digit.

const maxInt64 = 2n ** 63n - 1n;
const maxUint64 = 2n ** 64n - 1n;

/** A service that sends these integers as they are, whatever the client reads them as. */
function rawLimits(): ServiceInterface {
  const limits = (limit: bigint | number): object => ({
    limits: { limit, used: 5, ratio: 100000000000000000000n, values: [1, maxInt64], named: { a: maxUint64 } },
  });
  return {
    name: number.interfaceName,
    description: number.interfaceDescription,
    methods: {
      Get: (p: { which: string }) =>
        limits(p.which === "max_int64" ? maxInt64 : p.which === "max_uint64" ? maxUint64 : 7),
      Put: () => {
        throw new bigint.TooBig({ limit: maxUint64 });
      },
    },
  };
}

async function connect(
  t: TestContext,
  implementation: ServiceInterface,
): Promise<{ connection: SocketConnection; address: string }> {
  const service = await startServer([implementation]);
  t.after(() => service.server.close());
  const connection = await SocketConnection.connect(service.address);
  t.after(() => connection.close());
  return { connection, address: service.address };
}

describe("int as number (the default)", () => {
  test("a reply with 2^64-1 is an error naming the path, without validateReplies", async (t) => {
    const { connection } = await connect(t, rawLimits());
    const client = createClient(number.Integers, connection);
    await assert.rejects(client.Get({ which: "max_uint64" }), (error: unknown) => {
      assert.ok(error instanceof ReplyValidationError);
      assert.deepEqual(
        error.issues.map((i) => i.message),
        [
          "limits.limit: expected int, got 18446744073709551615 (beyond the safe integer range)",
          "limits.values[1]: expected int, got 9223372036854775807 (beyond the safe integer range)",
          'limits.named["a"]: expected int, got 18446744073709551615 (beyond the safe integer range)',
        ],
      );
      return true;
    });
  });

  test("integers within the safe range and floats written as large integers arrive as numbers", async (t) => {
    const service = rawLimits();
    const { connection } = await connect(t, {
      ...service,
      methods: { Get: () => ({ limits: { limit: 7, ratio: 100000000000000000000n, values: [], named: {} } }) },
    });
    const reply = await createClient(number.Integers, connection, { validateReplies: true }).Get({ which: "small" });
    assert.deepEqual(reply, { limits: { limit: 7, ratio: 1e20, values: [], named: {} } });
  });

  test("an integer beyond the safe range inside an object is refused too", async (t) => {
    const { connection } = await connect(t, {
      ...rawLimits(),
      methods: { Get: () => ({ limits: { limit: 1, ratio: 1, extra: { n: maxInt64 }, values: [], named: {} } }) },
    });
    await assert.rejects(
      createClient(number.Integers, connection).Get({ which: "small" }),
      /limits\.extra\["n"\]: expected object \(numbers within the safe integer range\), got 9223372036854775807/,
    );
  });

  test("an error reply whose parameters cannot be held is refused, not rounded", async (t) => {
    const { connection } = await connect(t, rawLimits());
    await assert.rejects(
      createClient(number.Integers, connection).Put({ limits: { limit: 1, ratio: 1, values: [], named: {} } }),
      (error: unknown) => {
        assert.ok(error instanceof ReplyValidationError);
        assert.equal(error.issues[0]!.path, "limit");
        return true;
      },
    );
  });

  test("a service refuses a call with 2^63-1 with InvalidParameter naming the path", async (t) => {
    const { connection } = await connect(
      t,
      implementInterface(number.Integers, { Put: ({ limits }) => ({ limits }) }, { partial: true }),
    );
    const limits = { limit: maxInt64, ratio: 1, values: [], named: {} };
    await assert.rejects(
      connection.call("org.example.integers.Put", { limits }),
      (error: unknown) => error instanceof InvalidParameter && error.parameters.parameter === "limits.limit",
    );
  });
});

describe("int as bigint (generate --integers bigint)", () => {
  test("2^63-1 and 2^64-1 arrive exactly; every int is a bigint, every float a number", async (t) => {
    const { connection } = await connect(t, rawLimits());
    const client = createClient(bigint.Integers, connection, { validateReplies: true });
    assert.deepEqual(await client.Get({ which: "max_int64" }), {
      limits: { limit: maxInt64, used: 5n, ratio: 1e20, values: [1n, maxInt64], named: { a: maxUint64 } },
    });
    assert.equal((await client.Get({ which: "max_uint64" })).limits.limit, maxUint64);
  });

  test("a client and a service in bigint mode carry the whole range both ways", async (t) => {
    let received: bigint.Limits | undefined;
    const { connection } = await connect(
      t,
      implementInterface(
        bigint.Integers,
        {
          Put: ({ limits }) => {
            received = limits;
            return { limits: { ...limits, used: limits.limit - 1n } };
          },
        },
        { partial: true },
      ),
    );
    const limits: bigint.Limits = {
      limit: maxUint64,
      ratio: 0.5,
      extra: { exact: maxInt64, small: 3 },
      values: [0n, -maxInt64 - 1n],
      named: { one: 1n },
    };
    const reply = await createClient(bigint.Integers, connection, { validateReplies: true }).Put({ limits });
    assert.deepEqual(received, limits, "the handler saw the exact values, small ints as bigints");
    assert.deepEqual(reply.limits, { ...limits, used: maxUint64 - 1n });
  });

  test("error parameters arrive as bigints too", async (t) => {
    const { connection } = await connect(t, rawLimits());
    await assert.rejects(
      createClient(bigint.Integers, connection).Put({ limits: { limit: 1n, ratio: 1, values: [], named: {} } }),
      (error: unknown) => {
        assert.ok(error instanceof bigint.TooBig);
        assert.equal(error.parameters.limit, maxUint64);
        return true;
      },
    );
  });

  test("validation reports say an int must be a bigint", () => {
    const result = bigint.LimitsSchema.validate({ limit: 5, ratio: 1, values: [], named: {} });
    assert.ok(!result.success);
    assert.deepEqual(
      result.issues.map((i) => i.message),
      ["limit: expected int (as a bigint), got 5"],
    );
    assert.equal(interfaceTypes(bigint.interfaceDescription, "bigint").integers, "bigint");
  });
});

describe("the command line passes numbers through exactly", () => {
  test("call prints 2^64-1 digit for digit", async (t) => {
    const { address } = await connect(t, rawLimits());
    const run = await cliProcess([
      "call",
      "--json",
      "short",
      address,
      "org.example.integers.Get",
      '{"which": "max_uint64"}',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      '{"limits":{"limit":18446744073709551615,"used":5,"ratio":100000000000000000000,"values":[1,9223372036854775807],"named":{"a":18446744073709551615}}}\n',
    );
  });

  test("call sends 2^64-1 from its argument digit for digit", async (t) => {
    const { address } = await connect(
      t,
      implementInterface(bigint.Integers, { Put: ({ limits }) => ({ limits }) }, { partial: true }),
    );
    const limits = '{"limit":18446744073709551615,"ratio":0.5,"values":[-9223372036854775808],"named":{}}';
    const run = await cliProcess([
      "call",
      "--json",
      "short",
      address,
      "org.example.integers.Put",
      `{"limits":${limits}}`,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `{"limits":${limits}}\n`);
  });
});
