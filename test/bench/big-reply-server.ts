import { VarlinkServer } from "@varlink-ts/runtime";

// bench:startup's memory row: a service whose one method answers with a string of the size
// asked for, as test/bench/go/big-reply.go does with varlink-go.
// `node big-reply-server.js ADDRESS`

const description = "interface org.example.bench\n\nmethod Blob(size: int) -> (data: string)\n";
const server = new VarlinkServer({ product: "bench" });
server.addInterface({
  name: "org.example.bench",
  description,
  methods: { Blob: ({ size }: { size: number }) => ({ data: "x".repeat(size) }) },
});
await server.listen(process.argv[2]!);
