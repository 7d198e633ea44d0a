// asyncvarlink's demo interface as varlink-ts writes it: what defineInterface describes with each
// schema library (test/e2e/code-first) and what derive writes from the same demo as a class
// (test/cli/derive), so that both are held to one text.

export const demoInterfaceText = `# asyncvarlink's demo interface, code first.
interface org.example.demo

# Which way the value points, reversed.
method Reverse(value: (left, right)) -> (direction: (left, right))

# Counts from 0 to count - 1, one reply each.
# [Requires 'more' flag]
method Range(count: int) -> (value: int)

# Waits \`delay\` seconds.
method Sleep(delay: float) -> ()
`;
