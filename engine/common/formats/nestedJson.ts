/**
 * Nested JSON for trees, written without recursion. JSON.stringify recurses and overflows
 * the stack at a few thousand levels, and a long conversation is a tree that deep, so the
 * nested exports (tree JSON, loom) stream each node's own fields through JSON.stringify and
 * the nesting through an explicit stack.
 */
export function nestedJson<N>(root: N, fields: (node: N) => Record<string, unknown>, children: (node: N) => readonly N[], childKey = "children"): string {
  const out: string[] = [];
  const key = JSON.stringify(childKey);
  type Item = { node: N } | string;
  const stack: Item[] = [{ node: root }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      out.push(item);
      continue;
    }
    const own = JSON.stringify(fields(item.node));
    out.push(own === "{}" ? `{${key}:[` : `${own.slice(0, -1)},${key}:[`);
    stack.push("]}");
    const kids = children(item.node);
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ node: kids[i]! });
      if (i > 0) stack.push(",");
    }
  }
  return out.join("");
}

/** `JSON.stringify(object)` with more members whose values are already JSON text. */
export function withRawMembers(object: Record<string, unknown>, raw: Record<string, string>): string {
  const head = JSON.stringify(object);
  const members = Object.entries(raw).map(([k, v]) => `${JSON.stringify(k)}:${v}`);
  if (members.length === 0) return head;
  return head === "{}" ? `{${members.join(",")}}` : `${head.slice(0, -1)},${members.join(",")}}`;
}
